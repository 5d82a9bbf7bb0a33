package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaTrackingToken;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds every read model from the full event history into the inactive generation, while the active
 * generation keeps serving reports and following new events. From Axon's event store, a bulk phase
 * ({@link EventStoreBulkLoad}) first loads everything stored so far contact by contact, and hands over a
 * token from which the events it could not see are streamed; from Kafka, the whole history is streamed.
 * Streamed events are applied by the live projection's handlers in batches, one transaction per batch.
 * When the rebuild has caught up with the head of the history, the live projection is paused, the last
 * events are drained into the new generation, the new generation is switched on, and the live projection
 * resumes on it; events it sees again are skipped by the per-contact version guard.
 */
public class ReplayService {

    private static final Logger log = LoggerFactory.getLogger(ReplayService.class);
    /** How long a batch of the catch-up waits for its first event before the replay moves on to the switch. */
    private static final long CATCH_UP_WAIT_MILLIS = 1_000;
    /** How long a replay's start waits to learn where the history ends. */
    static final long HEAD_TIMEOUT_SECONDS = 10;
    /** The tables of the contacts' rows, which a bulk load writes. */
    static final List<String> BASE_TABLES = List.of("read_opportunity", "read_owner_period", "read_stage_visit",
            "read_contact");
    /** The tables derived from the contacts' rows: the report aggregates. */
    static final List<String> DERIVED_TABLES = List.of("read_cohort_count", "read_cohort_month_change",
            "read_duration_bucket", "read_duration_period", "read_duration_captured", "read_report_watermark");
    static final List<String> TABLES = java.util.stream.Stream.concat(BASE_TABLES.stream(), DERIVED_TABLES.stream())
            .toList();

    private final Supplier<StreamableMessageSource<TrackedEventMessage<?>>> historySource;
    private final Supplier<EventStoreBulkLoad> bulkLoadSource;
    private final BaseRowsLoaded baseRowsLoaded;
    private StreamableMessageSource<TrackedEventMessage<?>> history;
    private EventStoreBulkLoad bulkLoad;
    private final AnnotationEventHandlerAdapter projection;
    private final ReadModelGenerations generations;
    private final JdbcTemplate readModels;
    private final TransactionTemplate transactions;
    private final EventProcessingConfiguration processing;
    private final Clock clock;
    private final int batchSize;
    private final AtomicReference<ReplayStatus> status;
    private final AtomicLong processed = new AtomicLong();
    private final TokenStore tokenStore;
    private volatile TrackingToken lastReplayed;
    /** Where the history ended when the replay started: streamed up to there with the live projection running. */
    private volatile TrackingToken headAtStart;

    /**
     * @param bulkLoad       the bulk phase when the history is in Axon's JDBC event store, else null
     * @param baseRowsLoaded called between the bulk phase and the streamed catch-up
     */
    public ReplayService(Supplier<StreamableMessageSource<TrackedEventMessage<?>>> history,
                         Supplier<EventStoreBulkLoad> bulkLoad, BaseRowsLoaded baseRowsLoaded,
                         LifecycleProjection projection, ReadModelGenerations generations, JdbcTemplate readModels,
                         PlatformTransactionManager transactionManager, EventProcessingConfiguration processing,
                         TokenStore tokenStore, Clock clock, int batchSize) {
        this.tokenStore = tokenStore;
        this.historySource = history;
        this.bulkLoadSource = bulkLoad;
        this.baseRowsLoaded = baseRowsLoaded;
        this.projection = new AnnotationEventHandlerAdapter(projection);
        this.generations = generations;
        this.readModels = readModels;
        this.transactions = new TransactionTemplate(transactionManager);
        this.processing = processing;
        this.clock = clock;
        this.batchSize = batchSize;
        this.status = new AtomicReference<>(new ReplayStatus("IDLE", 0, 0, generations.active(), null, null, null));
    }

    public ReplayStatus status() {
        ReplayStatus current = status.get();
        return "RUNNING".equals(current.state())
                ? new ReplayStatus(current.state(), processed.get(), current.total(), generations.active(),
                current.startedAt(), null, null)
                : current;
    }

    /** Starts a replay on its own thread; false when one is already running. */
    public synchronized boolean start() {
        if ("RUNNING".equals(status.get().state())) {
            return false;
        }
        history = historySource.get();
        if (history == null) {
            throw new IllegalStateException("this service has no event history to replay from");
        }
        readModelsAnswer();
        bulkLoad = bulkLoadSource.get();
        processed.set(0);
        lastReplayed = null;
        headAtStart = headOf(history, TimeUnit.SECONDS.toMillis(HEAD_TIMEOUT_SECONDS));
        long total = position(headAtStart);
        status.set(new ReplayStatus("RUNNING", 0, total, generations.active(), clock.instant(), null, null));
        Thread replay = new Thread(this::run, "read-model-replay");
        replay.setDaemon(true);
        replay.start();
        return true;
    }

    /**
     * A replay writes nothing but the read models' database: when that does not answer, the replay is refused here (the
     * database's exception is a 503 problem) instead of being accepted and failing at its first write. With the history
     * in Kafka, nothing else would have noticed.
     */
    private void readModelsAnswer() {
        readModels.queryForObject("SELECT 1", Integer.class);
    }

    private void run() {
        String target = generations.inactive();
        ReplayStatus started = status.get();
        try {
            // the inactive generation may hold a whole earlier model: emptying it row by row would take minutes
            generations.on(target, () -> transactions.execute(tx -> {
                TABLES.forEach(table -> readModels.execute("TRUNCATE TABLE " + table));
                return null;
            }));
            TrackingToken from = null;
            if (bulkLoad != null) {
                try (FoldedRebuild derived = baseRowsLoaded.begin()) {
                    from = bulkLoad.load(target, processed::addAndGet, derived);
                }
                lastReplayed = from;
                log.info("replay loaded {} events into generation {} in bulk; streaming on from {}", processed.get(),
                        target, from);
            }
            try (BlockingStream<TrackedEventMessage<?>> stream = history.openStream(from)) {
                // rebuild what was there at the start, batch by batch, while the live projection keeps the serving
                // generation up to date; a Kafka consumer has nothing to hand out for a moment after it opens, so
                // a batch may wait for its first event (without that wait, the whole replay of a topic ran with
                // the live projection paused, and failed after the minute switchOver allows)
                while (!reached(headAtStart) && applyBatch(stream, target, CATCH_UP_WAIT_MILLIS)) {
                    // on until the head as of the start, or until the history has nothing more for a while
                }
                switchOver(stream, target);
            }
            status.set(new ReplayStatus("IDLE", processed.get(), started.total(), generations.active(),
                    started.startedAt(), clock.instant(), null));
            log.info("replay rebuilt generation {} from {} events and switched to it", target, processed.get());
        } catch (Exception | Error e) {
            log.error("replay into generation {} failed; generation {} keeps serving", target, generations.active(), e);
            status.set(new ReplayStatus("IDLE", processed.get(), started.total(), generations.active(),
                    started.startedAt(), clock.instant(), String.valueOf(e.getMessage())));
        }
    }

    /**
     * The live projection pauses; the new generation takes every event up to where the live projection
     * stopped, and is switched on. The live projection then resumes from its own position on the new
     * generation: what it sees again is skipped by the version guard, what is newer it applies.
     */
    private void switchOver(BlockingStream<TrackedEventMessage<?>> stream, String target) throws InterruptedException {
        EventProcessor live = processing.eventProcessor(LifecycleProjection.PROCESSING_GROUP)
                .orElseThrow(() -> new IllegalStateException("no processor for " + LifecycleProjection.PROCESSING_GROUP));
        live.shutDown();
        try {
            List<TrackingToken> livePositions = livePositions();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int quietPolls = 0;
            // caught up when the replay covers where the live projection stopped; or, as the live projection
            // cannot have read past the end of the history, when the history stays quiet for two seconds
            while (!ReplayCoverage.covers(lastReplayed, livePositions) && quietPolls < 4) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replay did not reach the live projection's position in 60 s:"
                            + " replayed up to " + lastReplayed + ", live at " + livePositions);
                }
                quietPolls = applyBatch(stream, target, 500) ? 0 : quietPolls + 1;
            }
            if (!ReplayCoverage.covers(lastReplayed, livePositions)) {
                if (!ReplayCoverage.reaches(lastReplayed, livePositions)) {
                    // switching now would lose what the live projection applied beyond the replay
                    throw new IllegalStateException("the history went quiet with the replay at " + lastReplayed
                            + ", short of the live projection's " + livePositions + "; switching would lose events");
                }
                log.warn("replay switches after reading the whole history; its position {} does not cover the live"
                        + " projection's {} by token comparison, only by position", lastReplayed, livePositions);
            }
            transactions.executeWithoutResult(tx -> generations.activate(target));
        } finally {
            live.start();
        }
    }

    /**
     * Where the history ends now, asked on a thread of its own and waited for at most {@link #HEAD_TIMEOUT_SECONDS}:
     * with the Kafka cluster down, the consumer asks for the topic's metadata for a minute before it gives up, and
     * the admin who asked for the replay would wait that long for a bare 500.
     */
    static TrackingToken headOf(StreamableMessageSource<TrackedEventMessage<?>> history, long timeoutMillis) {
        FutureTask<TrackingToken> head = new FutureTask<>(history::createHeadToken);
        Thread asking = new Thread(head, "replay-head");
        asking.setDaemon(true);
        asking.start();
        try {
            return head.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // not interrupted: a thread interrupted in the middle of reading an H2 file closes the file's channel for
            // every session (as H2FileCompaction's stop once did); the daemon thread ends when its query does
            head.cancel(false);
            throw new HistoryUnavailable("the event history did not answer within " + timeoutMillis / 1000
                    + " s (is " + whereItIsKept(history) + " reachable?); no replay was started", e);
        } catch (ExecutionException e) {
            throw new HistoryUnavailable("the event history cannot be read (" + e.getCause().getMessage()
                    + "); no replay was started", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryUnavailable("interrupted while asking where the event history ends", e);
        }
    }

    private static String whereItIsKept(StreamableMessageSource<TrackedEventMessage<?>> history) {
        return history instanceof StreamableKafkaMessageSource ? "the Kafka cluster" : "the event store's database";
    }

    /** Whether the replay has read as far as {@code head} (none: an empty history). */
    private boolean reached(TrackingToken head) {
        return head == null || ReplayCoverage.reaches(lastReplayed, List.of(head));
    }

    private List<TrackingToken> livePositions() {
        String group = LifecycleProjection.PROCESSING_GROUP;
        return transactions.execute(tx -> {
            List<TrackingToken> positions = new ArrayList<>();
            for (int segment : tokenStore.fetchSegments(group)) {
                TrackingToken token = tokenStore.fetchToken(group, segment);
                TrackingToken position = token instanceof WrappedToken wrapped
                        ? (wrapped.upperBound() != null ? wrapped.upperBound() : wrapped.lowerBound()) : token;
                log.debug("live segment {} stopped at {} ({})", segment, position, token);
                if (position != null) {
                    positions.add(position);
                }
                tokenStore.releaseClaim(group, segment);
            }
            return positions;
        });
    }

    /** Applies up to one batch in one transaction; false when nothing was available. */
    private boolean applyBatch(BlockingStream<TrackedEventMessage<?>> stream, String target, long waitMillis)
            throws InterruptedException {
        List<TrackedEventMessage<?>> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && stream.hasNextAvailable((int) (batch.isEmpty() ? waitMillis : 0),
                TimeUnit.MILLISECONDS)) {
            batch.add(stream.nextAvailable());
        }
        if (batch.isEmpty()) {
            return false;
        }
        TrackingToken reached = lastReplayed;
        for (TrackedEventMessage<?> event : batch) {
            reached = ReplayCoverage.advanced(reached, event.trackingToken());
        }
        lastReplayed = reached;
        generations.on(target, () -> transactions.execute(tx -> {
            for (TrackedEventMessage<?> event : batch) {
                try {
                    projection.handle(event);
                } catch (Exception e) {
                    throw new IllegalStateException("replay could not apply event " + event.getIdentifier(), e);
                }
            }
            return null;
        }));
        processed.addAndGet(batch.size());
        return true;
    }

    /**
     * How many events the history holds up to {@code head}: the global index on the event store; on the topic the
     * records up to each partition's last offset, as Axon's Kafka token states no position of its own (its head
     * token leaves out a partition that holds a single record).
     */
    private static long position(TrackingToken head) {
        if (head instanceof KafkaTrackingToken offsets) {
            return offsets.getPositions().values().stream().mapToLong(last -> last + 1).sum();
        }
        return head == null ? 0 : head.position().orElse(0);
    }

}
