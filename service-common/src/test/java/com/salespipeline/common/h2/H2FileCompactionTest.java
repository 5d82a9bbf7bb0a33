package com.salespipeline.common.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An H2 file written a commit at a time, as {@code WRITE_DELAY=0} has it, keeps chunks that hold a few live pages
 * each; compaction rewrites those pages, and the chunks so emptied are dropped (at once here: no retention time).
 */
class H2FileCompactionTest {

    @TempDir
    Path dir;

    @Test
    void compactionRaisesTheFillRateOfAFileWrittenACommitAtATime() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))");
        for (int i = 0; i < 2_000; i++) {
            jdbc.update("INSERT INTO t VALUES (?, ?)", i, "a row of some length " + i);
        }
        // a row here and there changed, a commit each: every chunk written keeps a page or two of them live
        for (int i = 0; i < 2_000; i++) {
            jdbc.update("UPDATE t SET v = ? WHERE id = ?", "changed " + i, (i * 37) % 2_000);
        }
        H2FileCompaction compaction = new H2FileCompaction(h2, 0, 80, 16 << 20);
        compaction.start();
        int before = compaction.fillRate();

        for (int round = 0; round < 5; round++) {
            assertThat(compaction.compact()).isTrue();
            jdbc.update("UPDATE t SET v = 'x' WHERE id = 0"); // a commit, at which emptied chunks are dropped
        }

        assertThat(before).as("fill rate before").isLessThan(80);
        assertThat(compaction.fillRate()).as("fill rate after, from " + before).isGreaterThanOrEqualTo(80);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class)).isEqualTo(2_000);
        jdbc.execute("SHUTDOWN");
    }

    /**
     * Stopping lets a round finish. An interrupt of a thread in the middle of reading or writing the file closes
     * H2's file channel for every session (NIO's ClosedByInterruptException): the database then answered no more
     * ("Reading from file ... failed"), and an app stopping in a round closed its file as a crash would.
     */
    @Test
    void stoppingInTheMiddleOfARoundLeavesTheDatabaseWorking() throws InterruptedException {
        JdbcDataSource h2 = new JdbcDataSource();
        // a small page cache: a round reads most of the pages it rewrites from the file
        h2.setURL("jdbc:h2:file:" + dir.resolve("stopped") + ";WRITE_DELAY=0;RETENTION_TIME=0;CACHE_SIZE=256;"
                + "DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(2000))");
        String text = "a row long enough to fill pages ".repeat(30);
        for (int i = 0; i < 4_000; i++) {
            jdbc.update("INSERT INTO t VALUES (?, ?)", i, text + i);
        }
        java.util.Random random = new java.util.Random(55);
        for (int cycle = 0; cycle < 30; cycle++) {
            for (int i = 0; i < 200; i++) {
                jdbc.update("UPDATE t SET v = ? WHERE id = ?", text + cycle, random.nextInt(4_000));
            }
            H2FileCompaction compaction = new H2FileCompaction(h2, 1, 99, 16 << 20);
            compaction.start();
            Thread.sleep(random.nextInt(15));
            compaction.stop();

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class)).as("cycle " + cycle).isEqualTo(4_000);
        }
        jdbc.execute("SHUTDOWN");
    }

    @Test
    void aDatabaseInMemoryIsLeftAlone() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:compaction-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        H2FileCompaction compaction = new H2FileCompaction(h2, 1000, 80, 16 << 20);

        compaction.start();

        assertThat(compaction.isRunning()).isFalse();
        assertThat(compaction.compact()).isFalse();
    }
}
