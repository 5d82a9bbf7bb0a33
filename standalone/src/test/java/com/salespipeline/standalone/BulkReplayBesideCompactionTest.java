package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.common.h2.H2FileCompaction;
import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.replay.EventStoreBulkLoad;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bulk replay reads the whole event store while the app goes on: commands append, and {@link H2FileCompaction}
 * rewrites the file's live pages and frees the chunks they were in. H2 keeps a chunk while a statement still uses the
 * version it belongs to; a lazy result outlives its statement, so a lazy read of the store failed with "Chunk N not
 * found" once a chunk it had still to read was freed (the 1,000,000-contact benchmark of 2026-12-07; H2 issue 4142).
 * H2's retention time of 45 s hid that from reads shorter than it; here it is 0, as for a read of many minutes.
 */
class BulkReplayBesideCompactionTest {

    private static final int STORED_BEFORE = 15_000;

    @TempDir
    Path dir;

    @Test
    void theReplayReadsEveryStoredEventWhileTheFileIsCompactedAndCommandsAppend() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("pipeline") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        SchemaMigration.migrate(h2, "command");
        SchemaMigration.migrate(h2, "query");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        Set<UUID> before = new HashSet<>();
        try (Connection connection = h2.getConnection()) {
            connection.setAutoCommit(false);
            for (int i = 0; i < STORED_BEFORE; i++) {
                UUID contact = UUID.randomUUID();
                StoredCaptures.store(connection, contact, null, "compaction");
                before.add(contact);
            }
            connection.commit();
        }
        H2FileCompaction compaction = new H2FileCompaction(h2, 50, 80, 16 << 20);
        compaction.start();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong appended = new AtomicLong();
        List<Throwable> writerFailures = new ArrayList<>();
        // commands beside the replay: a commit each, which leaves the chunks before them partly used
        Thread commands = new Thread(() -> {
            try (Connection connection = h2.getConnection()) {
                while (loading.get()) {
                    StoredCaptures.store(connection, UUID.randomUUID(), null, "beside");
                    appended.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                writerFailures.add(e);
            }
        }, "commands-beside");
        commands.start();
        EventStoreBulkLoad bulk = StoredCaptures.bulkLoad(h2, 200, 500);
        AtomicLong applied = new AtomicLong();
        GapAwareTrackingToken token;
        try {
            token = bulk.load("b", events -> {
                applied.addAndGet(events);
                pause(); // a read that lasts while the compaction moves pages under it
            }, FoldedRebuild.NONE);
        } finally {
            loading.set(false);
            commands.join();
            compaction.stop();
        }

        assertThat(writerFailures).isEmpty();
        assertThat(appended.get()).as("commands appended during the replay").isPositive();
        List<UUID> loaded = jdbc.queryForList("SELECT contact_id FROM read_contact_b", UUID.class);
        assertThat(new HashSet<>(loaded)).containsAll(before);
        assertThat(loaded).as("each contact once").doesNotHaveDuplicates();
        assertThat(applied.get()).as("every event up to the head the replay read to, once")
                .isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry WHERE global_index <= ?",
                        Long.class, token.getIndex()) - token.getGaps().size())
                .isEqualTo(loaded.size());
        jdbc.execute("SHUTDOWN");
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
