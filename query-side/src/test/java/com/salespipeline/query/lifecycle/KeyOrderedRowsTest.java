package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.query.lifecycle.KeyOrderedRows.Column;
import com.salespipeline.query.lifecycle.KeyOrderedRows.Fan;
import com.salespipeline.query.lifecycle.KeyOrderedRows.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows gathered from queries come out once per key, added up over every buffer that was spilled, in the order
 * of the primary key given, without the rows that add nothing; the spilled files are gone afterwards.
 */
class KeyOrderedRowsTest {

    private static final String TABLE = "ordered_" + UUID.randomUUID().toString().replace("-", "");
    private static final List<Column> COLUMNS = List.of(new Column("d", Kind.INT), new Column("name", Kind.TEXT),
            new Column("n", Kind.COUNT), new Column("total", Kind.DECIMAL));

    private final JdbcTemplate jdbc = h2();

    private static JdbcTemplate h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:ordered-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        // no primary key: rows stay in the order they were inserted, which is what the test reads back
        jdbc.execute("CREATE TABLE " + TABLE + " (d INTEGER NOT NULL, name VARCHAR(20) NOT NULL, n BIGINT NOT NULL,"
                + " total DECIMAL(38, 0) NOT NULL)");
        return jdbc;
    }

    private static String values(String... rows) {
        return "SELECT * FROM (VALUES " + String.join(", ", rows) + ") AS v(d, name, n, total)";
    }

    /**
     * PostgreSQL takes the rows by COPY: text of any kind arrives as it was, also characters outside the basic
     * plane, whose two halves a copy of more than 64K characters fed as characters would split at some boundary.
     */
    @Test
    void rowsCopiedIntoPostgresKeepTheirTextWhateverItHolds() {
        JdbcTemplate postgres = Postgres.readModel().jdbc;
        for (String prefix : List.of("", "x")) {
            postgres.update("DELETE FROM read_duration_bucket");
            KeyOrderedRows rows = KeyOrderedRows.durationBuckets(100_000);
            List<String> campaigns = new java.util.ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String campaign = "=" + prefix + "\"O'Brien\", 東京\n" + "\uD83D\uDE00".repeat(100) + i;
                campaigns.add(campaign);
                rows.add(new Object[] {"AD", campaign, "-", "MQL", 2, i, 1L, BigDecimal.valueOf(i)});
            }
            assertThat(rows.insertInto(postgres, null)).isEqualTo(1_000);
            assertThat(postgres.queryForList("SELECT campaign_key FROM read_duration_bucket", String.class))
                    .containsExactlyInAnyOrderElementsOf(campaigns);
        }
        postgres.update("DELETE FROM read_duration_bucket");
    }

    /**
     * More rows than one commit takes, spilled in several runs: on PostgreSQL each chunk is merged on a thread of its
     * own while the one before is copied, on H2 on the caller's. Every row arrives once, added up, in key order.
     */
    @Test
    void rowsOfManyChunksAreAllWrittenOnceInKeyOrderOnBothDatabases() throws IOException {
        long spilledBefore = spilledFiles("read_duration_bucket");
        JdbcTemplate postgres = Postgres.readModel().jdbc;
        postgres.update("DELETE FROM read_duration_bucket");
        try (KeyOrderedRows rows = KeyOrderedRows.durationBuckets(7_000)) {
            addManyChunks(rows, i -> new Object[] {"AD", "c", "-", "MQL", 2, i, 1L, BigDecimal.ONE});
            assertThat(rows.insertInto(postgres, eachChunk(postgres))).isEqualTo(25_000);
        }
        assertThat(postgres.queryForList("SELECT bucket FROM read_duration_bucket", Integer.class))
                .hasSize(25_000).doesNotHaveDuplicates().allMatch(bucket -> bucket >= 1 && bucket <= 25_000);
        assertThat(postgres.queryForObject("SELECT SUM(visits) FROM read_duration_bucket", Long.class))
                .isEqualTo(25_000 + 12_500);
        postgres.update("DELETE FROM read_duration_bucket");

        try (KeyOrderedRows rows = new KeyOrderedRows(TABLE, COLUMNS, List.of("d", "name"), 7_000)) {
            addManyChunks(rows, i -> new Object[] {i, "k", 1L, BigDecimal.ONE});
            assertThat(rows.insertInto(jdbc, eachChunk(jdbc))).isEqualTo(25_000);
        }
        assertThat(jdbc.queryForList("SELECT d FROM " + TABLE + " ORDER BY _ROWID_", Integer.class))
                .hasSize(25_000).isSorted().doesNotHaveDuplicates().startsWith(1).endsWith(25_000);
        assertThat(jdbc.queryForObject("SELECT SUM(n) FROM " + TABLE, Long.class)).isEqualTo(25_000 + 12_500);
        assertThat(spilledFiles("read_duration_bucket")).isEqualTo(spilledBefore);
    }

    /**
     * Keys 0 to 25,000 from the last down, each once, then the odd ones again; key 0's values taken away again, so
     * that it adds up to nothing and is left out.
     */
    private static void addManyChunks(KeyOrderedRows rows, java.util.function.IntFunction<Object[]> row) {
        for (int i = 25_000; i >= 0; i--) {
            rows.add(row.apply(i));
        }
        for (int i = 1; i <= 25_000; i += 2) {
            rows.add(row.apply(i));
        }
        Object[] nothing = row.apply(0);
        nothing[nothing.length - 2] = -1L;
        nothing[nothing.length - 1] = BigDecimal.ONE.negate();
        rows.add(nothing);
    }

    private static TransactionTemplate eachChunk(JdbcTemplate jdbc) {
        return new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    /**
     * The caller may fill one array again for every row (as the aggregates' fan-out does): what was kept is a copy.
     * Sums pass far beyond small numbers and come out whole, kept in the buffer or spilled.
     */
    @Test
    void oneArrayFilledAgainForEveryRowAddsUpLikeArraysOfTheirOwn() {
        for (int bufferRows : new int[] {1_000, 3}) {
            try (KeyOrderedRows rows = new KeyOrderedRows(TABLE, COLUMNS, List.of("d", "name"), bufferRows)) {
                Object[] row = new Object[4];
                for (int i = 0; i < 3_000; i++) {
                    row[0] = i % 3;
                    row[1] = i % 2 == 0 ? "even" : "odd";
                    row[2] = (long) i;
                    row[3] = BigDecimal.valueOf(2L * i);
                    rows.add(row);
                }
                jdbc.update("DELETE FROM " + TABLE);
                assertThat(rows.insertInto(jdbc, null)).isEqualTo(6);
            }
            for (int d = 0; d < 3; d++) {
                for (String name : List.of("even", "odd")) {
                    long sum = 0;
                    for (int i = 0; i < 3_000; i++) {
                        if (i % 3 == d && (i % 2 == 0) == name.equals("even")) {
                            sum += i;
                        }
                    }
                    assertThat(jdbc.queryForList("SELECT n, total FROM " + TABLE + " WHERE d = ? AND name = ?", d, name))
                            .as("d %s, %s, buffer of %s", d, name, bufferRows)
                            .containsExactly(java.util.Map.of("N", sum, "TOTAL", BigDecimal.valueOf(2 * sum)));
                }
            }
        }
    }

    @Test
    void closingSeveralTablesClosesEachOneEvenWhenAnEarlierOneFails() {
        List<String> closed = new java.util.ArrayList<>();
        assertThatThrownBy(() -> KeyOrderedRows.closeAll(() -> {
            closed.add("first");
            throw new IOException("first file");
        }, () -> closed.add("second"), () -> {
            closed.add("third");
            throw new IllegalStateException("third file");
        })).hasRootCauseMessage("first file")
                .satisfies(failure -> assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("third file"));
        assertThat(closed).containsExactly("first", "second", "third");
    }

    @Test
    void rowsOfOneKeyAddUpAcrossSpilledRunsAndComeOutInKeyOrder() throws IOException {
        long spilledBefore = spilledFiles();
        try (KeyOrderedRows rows = new KeyOrderedRows(TABLE, COLUMNS, List.of("name", "d"), 2)) {
            rows.addRowsOf(jdbc, values("(2, 'b', 1, 10)", "(1, 'b', 1, 5)", "(1, 'a', -3, 0)"), Fan.AS_IS);
            rows.addRowsOf(jdbc, values("(2, 'b', 2, 1)", "(1, 'a', 3, 0)", "(7, 'a', 0, 9223372036854775807)"),
                    Fan.AS_IS);
            rows.addRowsOf(jdbc, values("(7, 'a', 0, 9223372036854775807)", "(1, 'c', ?, 0)"), Fan.AS_IS, -4L);
            assertThat(spilledFiles()).isGreaterThan(spilledBefore);

            assertThat(rows.insertInto(jdbc, null)).isEqualTo(4);
        }

        assertThat(jdbc.queryForList("SELECT name || ' ' || d || ' ' || n || ' ' || total FROM " + TABLE
                + " ORDER BY _ROWID_", String.class)).containsExactly(
                "a 7 0 18446744073709551614", // past a long, exactly
                "b 1 1 5",
                "b 2 3 11",
                "c 1 -4 0"); // (1, 'a') added up to nothing and is left out
        assertThat(spilledFiles()).isEqualTo(spilledBefore);
    }

    /**
     * A buffer kept in parts comes out as one buffer does; a part of few keys, each added to often, stays in memory
     * while the part of many keys is spilled, instead of being written again with every spill.
     */
    @Test
    void rowsKeptInPartsAddUpAsInOneBufferAndSpillFewerRows() {
        KeyOrderedRows oneBuffer = new KeyOrderedRows(TABLE, COLUMNS, List.of("name", "d"), 12);
        KeyOrderedRows inParts = new KeyOrderedRows(TABLE, COLUMNS, List.of("name", "d"), 12, 2,
                row -> row[1].equals("all") ? 1 : 0);
        for (KeyOrderedRows rows : List.of(oneBuffer, inParts)) {
            Object[] row = new Object[4];
            for (int i = 0; i < 1_000; i++) {
                fill(row, i % 5, "all", 1L, BigDecimal.valueOf(i));
                rows.add(row);
                fill(row, i % 300, "one", i % 7 == 0 ? -1L : 1L, BigDecimal.ONE);
                rows.add(row);
            }
        }

        List<String> fromOneBuffer = insertedRows(oneBuffer);
        List<String> fromParts = insertedRows(inParts);

        assertThat(fromParts).hasSize(305).isEqualTo(fromOneBuffer);
        // each key of "all" is added to 200 times; each of "one" four times below 100, three from 100 on
        assertThat(fromParts).startsWith("all 0 200 99500", "all 1 200 99700")
                .contains("one 0 2 4", "one 1 2 4", "one 100 1 3");
        assertThat(oneBuffer.spilledRows()).isGreaterThan(1_500);
        // the five keys of "all" are spilled once, at the end; the part of "one" is spilled whenever the buffer is full
        assertThat(inParts.spilledRows()).isLessThanOrEqualTo(1_000 + 5);
    }

    private static void fill(Object[] row, int d, String name, long n, BigDecimal total) {
        row[0] = d;
        row[1] = name;
        row[2] = n;
        row[3] = total;
    }

    /** The rows inserted, read back in the order they were inserted and deleted again. */
    private List<String> insertedRows(KeyOrderedRows rows) {
        try (rows) {
            rows.insertInto(jdbc, null);
        }
        List<String> inserted = jdbc.queryForList("SELECT name || ' ' || d || ' ' || n || ' ' || total FROM " + TABLE
                + " ORDER BY _ROWID_", String.class);
        jdbc.update("DELETE FROM " + TABLE);
        return inserted;
    }

    @Test
    void rowsThatFitTheBufferAreWrittenWithoutSpilling() throws IOException {
        long spilledBefore = spilledFiles();
        try (KeyOrderedRows rows = new KeyOrderedRows(TABLE, COLUMNS, List.of("d", "name"), 100)) {
            rows.addRowsOf(jdbc, values("(2, 'a', 1, 1)", "(1, 'b', 1, 1)", "(1, 'a', 1, 1)", "(1, 'b', 1, 1)"),
                    Fan.AS_IS);
            assertThat(spilledFiles()).isEqualTo(spilledBefore);

            assertThat(rows.insertInto(jdbc, null)).isEqualTo(3);
        }

        assertThat(jdbc.queryForList("SELECT d || name || n FROM " + TABLE + " ORDER BY _ROWID_", String.class))
                .containsExactly("1a1", "1b2", "2a1");
    }

    @Test
    void anInsertThatFailsLeavesNoSpilledFileBehind() throws IOException {
        String missing = TABLE + "_missing";
        try (KeyOrderedRows rows = new KeyOrderedRows(missing, COLUMNS, List.of("d", "name"), 1)) {
            rows.addRowsOf(jdbc, values("(1, 'a', 1, 1)", "(2, 'a', 1, 1)", "(3, 'a', 1, 1)"), Fan.AS_IS);
            assertThat(spilledFiles(missing)).isPositive();

            assertThatThrownBy(() -> rows.insertInto(jdbc, null)).hasMessageContaining(missing);
            assertThat(spilledFiles(missing)).isZero();
        }
    }

    @Test
    void aRowWithoutAKeyIsRefused() {
        try (KeyOrderedRows rows = new KeyOrderedRows(TABLE, COLUMNS, List.of("d", "name"), 100)) {
            assertThatThrownBy(() -> rows.addRowsOf(jdbc, values("(1, CAST(NULL AS VARCHAR), 1, 1)"), Fan.AS_IS))
                    .hasMessageContaining("without name");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Long.class)).isZero();
    }

    /** The buffer keeps a row's key and values only: a text or whole number outside the key is refused up front. */
    @Test
    void aTableWhoseTextIsNotInItsKeyOrWithoutABufferIsRefused() {
        assertThatThrownBy(() -> new KeyOrderedRows(TABLE, COLUMNS, List.of("d"), 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name is not in the key [d]");
        assertThatThrownBy(() -> new KeyOrderedRows(TABLE, COLUMNS, List.of("d", "name"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a buffer of 0 rows");
    }

    private static long spilledFiles() throws IOException {
        return spilledFiles(TABLE);
    }

    private static long spilledFiles(String table) throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("pipeline-" + table + "-")).count();
        }
    }
}
