package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.seed.AppEventStore;
import java.util.Locale;
import java.util.Objects;
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
        long start = System.nanoTime();
        try (Stream<? extends TrackedEventMessage<?>> stream = store.engine.readEvents(null, false)) {
            stream.forEach(event -> {
                // payload and metadata are deserialised lazily, on first access
                Objects.requireNonNull(event.getPayload());
                Objects.requireNonNull(event.getMetaData());
                long n = events.incrementAndGet();
                if ((n & 1023) == 0) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    progress.update(n, expected, String.format(Locale.ROOT, "events, %.0f events/s", n / elapsed));
                }
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.update(events.get(), events.get(), "events");
        return new Measured(events.get(), seconds);
    }
}
