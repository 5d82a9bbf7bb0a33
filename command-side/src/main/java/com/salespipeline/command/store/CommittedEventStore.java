package com.salespipeline.command.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, told when a group commit has made events visible, and telling the
 * streams' readers so. Two delays hide otherwise between a command's answer and its effect in an
 * in-process read model: Axon signals readers when a command's unit of work ends, but the group committer
 * commits the batch later, so a reader woken then finds nothing and sleeps its fetch delay; and the pooled
 * processor, whose streams cannot call back, looks for new events only every 500 ms. Here every stream reads
 * the store itself (no shared producer to wake too early) and calls its reader back shortly after a commit.
 * "Shortly": the commits within one delay are announced once, so that readers take them in one batch and one
 * transaction of their own rather than one per commit, which would double the commits the database serves.
 */
public class CommittedEventStore extends EmbeddedEventStore {

    private final Set<CallingBackStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService announcer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "event-store-announcer");
        thread.setDaemon(true);
        return thread;
    });
    private final long announceDelayMillis;
    private final AtomicLong commits = new AtomicLong();

    /**
     * @param builder             a builder; its event consumption is set to one reading stream per reader
     * @param announceDelayMillis how long commits are gathered before readers are called back
     */
    public CommittedEventStore(Builder builder, long announceDelayMillis) {
        super(builder.optimizeEventConsumption(false));
        this.announceDelayMillis = announceDelayMillis;
    }

    /** Events were committed: readers look now, not after their polling delay. */
    public void eventsCommitted() {
        commits.incrementAndGet();
        streams.forEach(CallingBackStream::eventsAvailable);
    }

    /**
     * How many commits have made events visible since start: while it stays the same, so does the head of the
     * store. It counts a commit before the commands in it are answered.
     */
    public long commitCount() {
        return commits.get();
    }

    /** A reader is waited for: readers look now, without gathering further commits first. */
    public void announceNow() {
        streams.forEach(CallingBackStream::announceNow);
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        // appends outside the group committer (tests, tools) commit with their unit of work
        super.afterCommit(events);
        eventsCommitted();
    }

    @Override
    public void shutDown() {
        announcer.shutdownNow();
        super.shutDown();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        CallingBackStream stream = new CallingBackStream(super.openStream(trackingToken));
        streams.add(stream);
        return stream;
    }

    private final class CallingBackStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private final AtomicBoolean announcing = new AtomicBoolean();
        private volatile Runnable callback;

        CallingBackStream(TrackingEventStream delegate) {
            this.delegate = delegate;
        }

        void eventsAvailable() {
            if (callback != null && announcing.compareAndSet(false, true)) {
                try {
                    announcer.schedule(this::announce, announceDelayMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shutDown) {
                    announcing.set(false);
                }
            }
        }

        void announceNow() {
            Runnable reader = callback;
            if (reader != null) {
                reader.run();
            }
        }

        private void announce() {
            announcing.set(false);
            callback.run();
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            this.callback = callback;
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            streams.remove(this);
            delegate.close();
        }
    }
}
