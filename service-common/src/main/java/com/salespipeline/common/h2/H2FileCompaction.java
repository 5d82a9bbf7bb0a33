package com.salespipeline.common.h2;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Compacts an H2 file while the app runs. H2 rewrites the live pages of partly used chunks only on its background
 * writer, which {@code WRITE_DELAY=0} (a commit per command batch written at once) turns off; without it a chunk that
 * keeps a single live page is never freed, and the file grew by about 33 KB per command: 5.2 GB in two minutes of
 * 1,300 commands a second, 32 GB in 37 minutes of 150 (helper-42, 2026-12-07). This does what that writer would: every
 * {@code pipeline.h2.compact-every-ms}, rewrite up to {@code pipeline.h2.compact-bytes} of live pages out of the chunks
 * whose fill rate is lowest, while the store's fill rate is under {@code pipeline.h2.compact-fill-rate} %. The chunks
 * so emptied are reused after H2's retention time (45 s).
 *
 * <p>A round holds H2's store lock, so every commit waits for it: rounds are small and frequent, as H2's own writer
 * makes them. At 1,000,000 contacts and 16 clients rounds of 16 MB a second took 620 ms each (median) and the
 * commands' p99 went from 69 to 615 ms; rounds of 256 KB every 50 ms took 9 ms and left it at 69 ms, and at 150
 * commands a second kept the file at 0.75-0.87 GB where it grew to 2.3 GB in 300 s without them
 * (docs/benchmarks.md, session 53).
 */
@Component
@ConditionalOnClass(name = "org.h2.mvstore.MVStore")
public class H2FileCompaction implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(H2FileCompaction.class);

    private final H2FileStore store;
    private final long everyMs;
    private final int fillRate;
    private final int bytes;
    private ScheduledExecutorService scheduler;

    public H2FileCompaction(DataSource dataSource, @Value("${pipeline.h2.compact-every-ms:50}") long everyMs,
                            @Value("${pipeline.h2.compact-fill-rate:80}") int fillRate,
                            @Value("${pipeline.h2.compact-bytes:262144}") int bytes) {
        this.store = new H2FileStore(dataSource);
        this.everyMs = everyMs;
        this.fillRate = fillRate;
        this.bytes = bytes;
    }

    @Override
    public synchronized void start() {
        if (store.current() == null || everyMs <= 0 || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "h2-compaction");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> compact(), everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    /** One round, as the scheduler runs it; false when there is no H2 file to compact. */
    boolean compact() {
        try {
            MVStore mvStore = store.current();
            if (mvStore != null) {
                long start = System.nanoTime();
                boolean rewrote = mvStore.compact(fillRate, bytes);
                if (rewrote && log.isDebugEnabled()) {
                    // the round held H2's store lock, and every commit waited, this long
                    log.debug("H2 compaction round: {} ms, chunks {} % live", (System.nanoTime() - start) / 1_000_000,
                            mvStore.getFileStore().getChunksFillRate());
                }
                return true;
            }
        } catch (RuntimeException e) {
            // the store closing under it at shutdown, or a write failing: the next round tries again
            log.debug("H2 compaction round failed", e);
        }
        return false;
    }

    /** The store's fill rate: the share of the file's chunks that live data takes, in percent. */
    int fillRate() {
        MVStore mvStore = store.current();
        return mvStore == null ? 100 : mvStore.getFileStore().getChunksFillRate();
    }

    /**
     * Lets a round in progress finish and starts no other. Never interrupts it: an interrupt of a thread reading or
     * writing the file closes H2's file channel, for every session, and the database answers no more.
     */
    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("an H2 compaction round still runs after 10 s; the app stops beside it");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** Stopped before the data source closes, started after it opens. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
