package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rows copied into a real PostgreSQL come back as they were given, across blocks, and a failed copy leaves nothing. */
class PostgresCopyTest {

    private static final String COLUMNS = "t, n, d, ts, b, u";

    @Test
    void everyKindOfValueComesBackAsGiven() throws Exception {
        UUID id = UUID.randomUUID();
        List<Object[]> rows = List.of(
                new Object[] {"", 0L, BigDecimal.ZERO, Instant.parse("1970-01-01T00:00:00Z"), true, id},
                new Object[] {null, null, null, null, null, null},
                new Object[] {"a \"quoted\", comma\nnewline \\ back", Long.MIN_VALUE, new BigDecimal("-12.50"),
                        Instant.parse("1969-12-31T23:59:59.999999999Z"), false, id},
                new Object[] {"Zoë \"Ñ\" \uD83D\uDE80", Long.MAX_VALUE, new BigDecimal("123456789012345678901234567890"),
                        OffsetDateTime.parse("2026-03-29T01:30:00.123456+05:30"), true, id},
                new Object[] {"NULL", -7, BigDecimal.valueOf(42), OffsetDateTime.parse("0001-01-01T00:00:00-08:00"),
                        false, id},
                new Object[] {"\\N", 7, new BigDecimal("1E+3"), Instant.parse("9999-12-31T23:59:59.999999Z"), true, id},
                new Object[] {"x", 1L, new BigDecimal("0.0001"), Instant.parse("1999-12-31T23:59:59.000001Z"), true,
                        id.toString()},
                new Object[] {"y", 2L, new BigDecimal("-99999999.99990"), null, false, null},
                new Object[] {"z", 3L, BigDecimal.valueOf(10_000), null, false, null},
                new Object[] {"w", 4L, new BigDecimal("-18446744073709551616000000.5"), null, false, null},
                new Object[] {"v", 5L, 1_700_000_000_000_000L, null, false, null});
        List<List<Object>> back = copyAndReadBack(rows);

        assertThat(back).containsExactly(
                List.of("", 0L, "0", Instant.parse("1970-01-01T00:00:00Z"), true, id),
                Arrays.asList(null, null, null, null, null, null),
                List.of("a \"quoted\", comma\nnewline \\ back", Long.MIN_VALUE, "-12.50",
                        Instant.parse("1969-12-31T23:59:59.999999Z"), false, id),
                List.of("Zoë \"Ñ\" \uD83D\uDE80", Long.MAX_VALUE, "123456789012345678901234567890",
                        Instant.parse("2026-03-28T20:00:00.123456Z"), true, id),
                List.of("NULL", -7L, "42", Instant.parse("0001-01-01T08:00:00Z"), false, id),
                List.of("\\N", 7L, "1000", Instant.parse("9999-12-31T23:59:59.999999Z"), true, id),
                List.of("x", 1L, "0.0001", Instant.parse("1999-12-31T23:59:59.000001Z"), true, id),
                Arrays.asList("y", 2L, "-99999999.99990", null, false, null),
                Arrays.asList("z", 3L, "10000", null, false, null),
                Arrays.asList("w", 4L, "-18446744073709551616000000.5", null, false, null),
                Arrays.asList("v", 5L, "1700000000000000", null, false, null));
    }

    @Test
    void rowsBeyondOneBlockAllArrive() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        Instant start = Instant.parse("2024-01-01T00:00:00Z");
        for (int i = 0; i < 30_000; i++) {
            rows.add(new Object[] {"row \"" + i + "\" é", (long) i, BigDecimal.valueOf(i), start.plusSeconds(i), i % 2 == 0,
                    null});
        }
        List<List<Object>> back = copyAndReadBack(rows);

        assertThat(back).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(back.get(i)).containsExactly("row \"" + i + "\" é", (long) i, Integer.toString(i),
                    start.plusSeconds(i), i % 2 == 0, null);
        }
    }

    @Test
    // a COPY left open makes the next statement wait for ever: a failure, not a hang
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aCopyThatFailsHalfWayLeavesTheConnectionUsableAndNoRow() throws Exception {
        String table = table();
        try (Connection connection = Postgres.readModel().dataSource.getConnection()) {
            create(connection, table);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                rows.add(new Object[] {"before the failure", (long) i, null, null, null, null});
            }
            // fails after more than a block went to the server
            rows.add(new Object[] {new Object() {
                @Override
                public String toString() {
                    throw new IllegalStateException("no text for this value");
                }
            }, 0L, null, null, null, null});
            // in autocommit: only a cancelled COPY leaves no row (one ended instead would commit the rows before)
            assertThatThrownBy(() -> copy(connection, table, rows))
                    .hasMessage("no text for this value");
            assertThat(rowCount(connection, table)).isZero();
        }
    }

    @Test
    void aRowTheServerRefusesFailsTheCopyWithItsError() throws Exception {
        String table = table();
        try (Connection connection = Postgres.readModel().dataSource.getConnection()) {
            create(connection, table);
            // the refused row first, then more blocks than the server reads before it answers with its error
            List<Object[]> rows = new ArrayList<>();
            rows.add(new Object[] {"a text with \u0000 in it", 1L, null, null, null, null});
            for (int i = 0; i < 20_000; i++) {
                rows.add(new Object[] {"after the refused row", (long) i, null, null, null, null});
            }
            assertThatThrownBy(() -> copy(connection, table, rows))
                    .hasMessageContaining("0x00");
            assertThat(rowCount(connection, table)).isZero();
        }
    }

    /** Binary values have their column's exact type: a value that has none such is refused, naming the column. */
    @Test
    void aValueThatDoesNotFitItsColumnFailsTheCopyNamingItAndLeavesNoRow() throws Exception {
        String table = table();
        try (Connection connection = Postgres.readModel().dataSource.getConnection()) {
            create(connection, table);
            for (Object[] refused : List.<Object[]>of(new Object[] {"x", "not a number", null, null, null, null},
                    new Object[] {"x", null, "1.5", null, null, null},
                    new Object[] {"x", null, null, "2026-12-02T00:00:00Z", null, null},
                    new Object[] {"x", null, null, Instant.MAX, null, null},
                    new Object[] {"x", null, null, null, "yes", null},
                    new Object[] {"x", null, null, null, null, "not-a-uuid"})) {
                List<Object[]> rows = List.of(new Object[] {"before", 1L, null, null, null, null}, refused);
                assertThatThrownBy(() -> copy(connection, table, rows))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot copy into " + table);
                assertThat(rowCount(connection, table)).isZero();
            }
        }
    }

    /** A column of 32-bit integers takes whole numbers within its range, and one of one character its text. */
    @Test
    void integerAndCharacterColumnsTakeTheirValues() throws Exception {
        String table = table();
        try (Connection connection = Postgres.readModel().dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (i INTEGER, c CHAR(1))");
            }
            PostgresCopy copy = new PostgresCopy();
            copy.copyIn(connection, table, List.of("i", "c"), List.of(new Object[] {Integer.MIN_VALUE, "D"},
                    new Object[] {(long) Integer.MAX_VALUE, "A"}, new Object[] {0, null}));
            assertThatThrownBy(() -> copy.copyIn(connection, table, List.of("i", "c"),
                    List.<Object[]>of(new Object[] {1L + Integer.MAX_VALUE, "C"})))
                    .hasMessageContaining("does not fit a 32-bit integer");

            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT i, c FROM " + table + " ORDER BY i")) {
                List<String> back = new ArrayList<>();
                while (rs.next()) {
                    back.add(rs.getInt(1) + " " + rs.getString(2));
                }
                assertThat(back).containsExactly(Integer.MIN_VALUE + " D", "0 null", Integer.MAX_VALUE + " A");
            }
        }
    }

    private static List<List<Object>> copyAndReadBack(List<Object[]> rows) throws Exception {
        String table = table();
        try (Connection connection = Postgres.readModel().dataSource.getConnection()) {
            create(connection, table);
            copy(connection, table, rows);
            List<List<Object>> back = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT " + COLUMNS + " FROM " + table + " ORDER BY id")) {
                while (rs.next()) {
                    OffsetDateTime ts = rs.getObject(4, OffsetDateTime.class);
                    back.add(Arrays.asList(rs.getString(1), rs.getObject(2), rs.getString(3),
                            ts == null ? null : ts.toInstant(), rs.getObject(5), rs.getObject(6)));
                }
            }
            return back;
        }
    }

    private static void copy(Connection connection, String table, List<Object[]> rows) throws Exception {
        new PostgresCopy().copyIn(connection, table, List.of(COLUMNS.split(", ")), rows);
    }

    private static long rowCount(Connection connection, String table) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    private static String table() {
        return "copied_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static void create(Connection connection, String table) throws Exception {
        try (Statement statement = connection.createStatement()) {
            // the session's zone must not matter: the values carry their offsets
            statement.execute("SET TIME ZONE 'America/Los_Angeles'");
            statement.execute("CREATE TABLE " + table + " (id BIGSERIAL PRIMARY KEY, t TEXT, n BIGINT, d NUMERIC,"
                    + " ts TIMESTAMPTZ, b BOOLEAN, u UUID)");
        }
    }
}
