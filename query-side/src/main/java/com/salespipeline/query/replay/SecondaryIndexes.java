package com.salespipeline.query.replay;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-unique indexes of the read-model tables, taken off the generation being built while it is loaded
 * in bulk and put back before it serves: inserting a million contacts into eight B-trees keyed by time,
 * source or owner costs far more than building each once from the loaded rows. What is put back is read
 * from the serving generation's tables, so a replay that died between drop and rebuild heals with the next.
 * Unique indexes and primary keys stay: the catch-up after the bulk phase finds rows by primary key.
 */
final class SecondaryIndexes {

    /** @param where the condition of a partial index (PostgreSQL), on the table's columns; null for all rows */
    record Index(String name, String table, List<String> columns, String where) {
        Index(String name, String table, List<String> columns) {
            this(name, table, columns, null);
        }

        String create() {
            return "CREATE INDEX " + name + " ON " + table + " (" + String.join(", ", columns) + ")"
                    + (where == null ? "" : " WHERE " + where);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SecondaryIndexes.class);

    /** How many indexes PostgreSQL builds at once in {@link #createAtOnce}. */
    static final int BUILT_AT_ONCE = 2;

    private final DataSource dataSource;

    SecondaryIndexes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Drops every non-unique index of {@code generation}'s tables; returns what the serving generation has. */
    List<Index> dropAll(List<String> tables, String generation, String serving) throws SQLException {
        List<Index> wanted = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                for (Index index : indexes(connection, table(table, generation))) {
                    statement.execute("DROP INDEX " + index.name());
                }
                for (Index index : indexes(connection, table(table, serving))) {
                    wanted.add(new Index(renamed(index.name(), generation), table(table, generation), index.columns(),
                            index.where()));
                }
            }
        }
        return wanted;
    }

    void createAll(List<Index> indexes) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            StringJoiner built = new StringJoiner(", ");
            for (Index index : indexes) {
                long start = System.nanoTime();
                statement.execute(index.create());
                built.add(index.name() + " " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            if (indexes.size() > 0) {
                // which of a replay's indexes cost what: the step that builds them is the longest after the fold
                log.info("built {}", built);
            }
        }
    }

    /**
     * Builds {@code indexes}, on PostgreSQL {@value #BUILT_AT_ONCE} at a time, each on a connection of its own (so the
     * pool must have two to spare); on H2 one after the other on this thread, since its CREATE INDEX holds its
     * table's lock. One PostgreSQL build does not keep two cores busy even with its parallel worker: the aggregates'
     * two indexes at 1,000,000 contacts took 8.5-9.1 s at once against 10.4-10.7 s one after the other by hand
     * (docs/benchmarks.md, session 20), 10.0-11.2 s against 11.2-12.6 s within a replay (session 21).
     *
     * <p>Returns only when every build has ended, also when interrupted (the driver does not stop a statement for
     * that; the interrupt is kept and thrown after). The failure of the first index in {@code indexes} that failed
     * is thrown, those of the others suppressed in it.
     */
    void createAtOnce(List<Index> indexes) throws SQLException {
        if (indexes.size() < 2 || !isPostgres()) {
            createAll(indexes);
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService builders = Executors.newFixedThreadPool(Math.min(BUILT_AT_ONCE, indexes.size()), runnable -> {
            Thread thread = new Thread(runnable, "replay-index-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        List<Future<Void>> builds = new ArrayList<>();
        try {
            for (Index index : indexes) {
                builds.add(builders.submit(() -> {
                    createAll(List.of(index));
                    return null;
                }));
            }
        } finally {
            builders.shutdown();
        }
        boolean interrupted = false;
        Throwable failure = null;
        for (Future<Void> build : builds) {
            while (true) {
                try {
                    build.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause();
                    } else {
                        failure.addSuppressed(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            SQLException thrown = new SQLException("interrupted while the indexes were built; every build has ended");
            if (failure != null) {
                thrown.addSuppressed(failure);
            }
            throw thrown;
        }
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new SQLException("building an index failed", failure);
        }
    }

    /**
     * From how many contacts a bulk load on H2 keeps the aggregates' indexes up while it writes them
     * ({@link #keepsIndexesDuringTheAggregates}). Measured on H2 (docs/benchmarks.md, sessions 38 and 39), the
     * aggregates' writing, the base indexes beside it, and the aggregates' two indexes built after, against the
     * writing with those two kept up: 10,000 contacts 6.1-8.5 s, 2.3-2.9 s, 1.9 s against 10.2-11.5 s; 100,000 31.9,
     * 23.5, 11.4 s against 46.1 s; 300,000 56.1, 52.9, 24.3 s against 89.5 s (the replay 126 s against 136 s);
     * 1,000,000 84.8, 137.3, 49.2 s against 126.0 s beside 132.9 s (303 s against 241 s; session 38's machine, the
     * others session 39's). Kept up, the writing takes
     * about 45 % longer at every size, which pays only once the base indexes outlast it: between 300,000 and a million.
     */
    public static final long KEEP_UP_FROM_CONTACTS = 500_000;

    /**
     * Whether the aggregates' indexes are better created on their still empty tables, and kept up as the aggregates
     * are written, than built after: on H2, for a history of {@code fromContacts} contacts or more (by default
     * {@link #KEEP_UP_FROM_CONTACTS}). There
     * one CREATE INDEX runs at a time (a second one waits for the lock on the schema, {@code SYS}, and times out:
     * session 38 tried the aggregates' two beside the base tables' builds), so built after, they wait for the base
     * tables' builds, which at a million contacts outlast the aggregates' writing by about 50 s.
     */
    boolean keepsIndexesDuringTheAggregates(long contacts, long fromContacts) throws SQLException {
        return contacts >= fromContacts && !isPostgres();
    }

    private boolean isPostgres() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        }
    }

    /**
     * On PostgreSQL, vacuums and analyzes {@code generation}'s {@code tables}. Rows written by {@code COPY} are not yet
     * marked all-visible, so an index-only scan still reads the table for every entry it walks: the rank lookups of
     * stage durations along (stage, duration_micros) read the table once per visit they pass (docs/benchmarks.md,
     * session 13). ANALYZE gives the planner the new rows' statistics before reports read them. H2 needs neither. Rows
     * that {@link FrozenBaseRows} copied frozen on PostgreSQL 14 or later are all-visible already and only analyzed.
     */
    void vacuumOnPostgres(List<String> tables, String generation) throws SQLException {
        onPostgres("VACUUM (ANALYZE) ", tables, generation);
    }

    /**
     * On PostgreSQL, analyzes {@code generation}'s {@code tables}, so that the first reports after the switch are
     * planned on the rows the replay wrote, with the statistics of the aggregates' keys (migration V12), rather than
     * on none until autovacuum comes by (docs/benchmarks.md, session 14).
     */
    void analyzeOnPostgres(List<String> tables, String generation) throws SQLException {
        onPostgres("ANALYZE ", tables, generation);
    }

    private void onPostgres(String command, List<String> tables, String generation) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                return;
            }
            // VACUUM runs outside a transaction block only
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                for (String table : tables) {
                    statement.execute(command + table(table, generation));
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static List<Index> indexes(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String stored = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
        Map<String, TreeMap<Short, String>> columns = new TreeMap<>();
        Map<String, String> conditions = new TreeMap<>();
        try (ResultSet rs = meta.getIndexInfo(connection.getCatalog(), null, stored, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (rs.getBoolean("NON_UNIQUE") && name != null && rs.getString("COLUMN_NAME") != null) {
                    String column = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                    columns.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new TreeMap<>())
                            .put(rs.getShort("ORDINAL_POSITION"), "D".equals(rs.getString("ASC_OR_DESC"))
                                    ? column + " DESC" : column);
                    // PostgreSQL's driver gives a partial index's condition as the server prints it; H2 has none
                    String condition = rs.getString("FILTER_CONDITION");
                    if (condition != null) {
                        conditions.put(name.toLowerCase(Locale.ROOT), condition);
                    }
                }
            }
        }
        List<Index> indexes = new ArrayList<>();
        columns.forEach((name, byPosition) -> indexes.add(new Index(name, table, List.copyOf(byPosition.values()),
                conditions.get(name))));
        return indexes;
    }

    /** read_contact is generation a's table, read_contact_b generation b's. */
    private static String table(String table, String generation) {
        return "a".equals(generation) ? table : table + "_" + generation;
    }

    /** The migrations name generation a's indexes read_..., generation b's read_b_... */
    static String renamed(String index, String generation) {
        String bare = index.startsWith("read_b_") ? "read_" + index.substring("read_b_".length()) : index;
        if ("a".equals(generation)) {
            return bare;
        }
        return bare.startsWith("read_") ? "read_" + generation + "_" + bare.substring("read_".length())
                : bare + "_" + generation;
    }
}
