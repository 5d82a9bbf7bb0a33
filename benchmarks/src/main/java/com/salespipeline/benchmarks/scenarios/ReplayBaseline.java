package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.seed.AppEventStore;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.axonframework.eventhandling.TrackedEventMessage;

/**
 * What reading the history costs before any projection work: every event streamed from the store by the app's
 * own storage engine (batch size, upcasters and Jackson serializer as the app configures them) and its payload
 * and metadata deserialised; nothing else.
 */
public final class ReplayBaseline {

    public record Measured(long events, double seconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    private ReplayBaseline() {
    }

    public static Measured run(AppEventStore store, long expected, Progress progress) {
        AtomicLong events = new AtomicLong();
        AtomicLong checksum = new AtomicLong();
        long start = System.nanoTime();
        try (Stream<? extends TrackedEventMessage<?>> stream = store.engine.readEvents(null, false)) {
            stream.forEach(event -> {
                // touching payload and metadata forces their deserialisation, which is lazy in Axon
                checksum.addAndGet(event.getPayload().hashCode() + event.getMetaData().size());
                long n = events.incrementAndGet();
                if ((n & 1023) == 0) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    progress.update(n, expected, String.format(Locale.ROOT, "events, %.0f events/s", n / elapsed));
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.update(events.get(), events.get(), "events");
        if (checksum.get() == Long.MIN_VALUE) {
            progress.note("(checksum " + checksum.get() + ")");
        }
        return new Measured(events.get(), seconds);
    }
}
