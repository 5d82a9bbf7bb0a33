package com.salespipeline.query.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows of one aggregate table gathered from queries, added up per key, and inserted in the order of the table's
 * primary key. H2 keeps each table as a copy-on-write B-tree: rows inserted all over the key range rewrite
 * nearly every page at each commit, rows inserted in key order only the pages at the end. A million rows of
 * {@code read_cohort_count} went in at 4,700 a second in random order (leaving a 9 GB file) and at 40,000 a
 * second in key order (0.7 GB). Rows are added up per key in a buffer ({@link PackedRows}); a full buffer is
 * sorted and spilled to a temporary file, and the files are merged when the rows are inserted, so the heap holds
 * one buffer whatever the table's size.
 *
 * <p>The buffer may be kept in parts, a row's part given by its key: when it is full, the parts whose rows were
 * least often added to a kept row are spilled, until half of it is free. A table of counts under every subset of
 * (source, campaign, owner) has few keys in its coarse subsets, each added to by many rows, and many keys in the
 * finest and the pairs, each added to by few: in one buffer, every spill wrote the coarse keys again. In parts,
 * the rows of read_cohort_count spilled at a million contacts fell from 17.8 to 15.1 million (3.27 million in the
 * table), and the step that merges and writes them from 54-63 s to 50 s (docs/benchmarks.md, session 18).
 */
final class KeyOrderedRows implements AutoCloseable {

    /** What a column holds: a key's text or whole number, or a value added up as a long or as a decimal. */
    enum Kind { TEXT, INT, COUNT, DECIMAL }

    record Column(String name, Kind kind) {
        boolean isKey() {
            return kind == Kind.TEXT || kind == Kind.INT;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(KeyOrderedRows.class);
    private static final int ROWS_PER_COMMIT = 10_000;
    private static final int ROWS_PER_BATCH = 500;

    private final String table;
    /** In the order of the queries' select lists and of the insert. */
    private final List<Column> columns;
    /** Positions in {@link #columns} of the key columns, in the order of the primary key. */
    private final int[] keyOrder;
    /** Positions in {@link #columns} of the counts and of the decimals. */
    private final int[] countPositions;
    private final int[] decimalPositions;
    private final int bufferRows;
    /** The buffer: rows added up per key, in parts. */
    private final PackedRows parts;
    /** The part of {@link #parts} that keeps a row. */
    private final ToIntFunction<Object[]> partOf;
    /** Rows added to each part since it was last emptied. */
    private final long[] partAdds;
    /** Rows held in all parts together. */
    private int held;
    /** Rows written to spilled runs so far, the last one at the insert included. */
    private long spilledRows;
    /** Of {@link #spilledRows}, those of each part: which subsets of keys do not fit the buffer. */
    private final long[] partSpilledRows;
    private final List<Path> runs = new ArrayList<>();
    /** The spilled runs being merged, closed with this (also when an insert fails half way). */
    private final List<RunReader> readers = new ArrayList<>();
    private final Comparator<Object[]> byKey;
    /** How the spilled runs' rows are written and read back. */
    private final SpilledRows spilled;
    private final List<String> columnNames;
    private final PostgresCopy postgresCopy = new PostgresCopy();

    /**
     * @param columns    the columns of the table that each query selects, in the same order
     * @param primaryKey the names of the key columns, in the order of the table's primary key
     * @param bufferRows keys held before a sorted run of their rows is spilled to a file
     */
    KeyOrderedRows(String table, List<Column> columns, List<String> primaryKey, int bufferRows) {
        this(table, columns, primaryKey, bufferRows, 1, row -> 0);
    }

    /**
     * @param parts  how many parts the buffer is kept in
     * @param partOf the part that keeps a row, from 0 to {@code parts - 1}, given by its key alone
     */
    KeyOrderedRows(String table, List<Column> columns, List<String> primaryKey, int bufferRows, int parts,
                   ToIntFunction<Object[]> partOf) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.keyOrder = primaryKey.stream().mapToInt(this::position).toArray();
        this.countPositions = positionsOf(Kind.COUNT);
        this.decimalPositions = positionsOf(Kind.DECIMAL);
        if (bufferRows < 1) {
            throw new IllegalArgumentException(table + ": a buffer of " + bufferRows + " rows");
        }
        // the buffer keeps a row's keys and values, nothing else: a text or number outside the key would be lost
        this.columns.stream().filter(column -> column.isKey() && !primaryKey.contains(column.name())).findFirst()
                .ifPresent(column -> {
                    throw new IllegalArgumentException(table + ": " + column.name() + " is not in the key "
                            + primaryKey);
                });
        this.bufferRows = bufferRows;
        boolean[] keyIsText = new boolean[keyOrder.length];
        for (int i = 0; i < keyOrder.length; i++) {
            keyIsText[i] = this.columns.get(keyOrder[i]).kind() == Kind.TEXT;
        }
        this.parts = new PackedRows(keyOrder, keyIsText, countPositions, decimalPositions, this.columns.size(),
                bufferRows, parts);
        this.partAdds = new long[parts];
        this.partSpilledRows = new long[parts];
        this.partOf = partOf;
        this.columnNames = this.columns.stream().map(Column::name).toList();
        this.spilled = new SpilledRows(this.parts);
        // one loop rather than a chain of comparators: merging compares keys millions of times, and the chain's
        // lambdas were a fifth of the thread adding up a replay's aggregates (docs/benchmarks.md, session 14)
        this.byKey = this::compareKeys;
    }

    @SuppressWarnings("unchecked")
    private int compareKeys(Object[] a, Object[] b) {
        for (int position : keyOrder) {
            // rows from the buffer and from spilled runs hold one instance per text (the buffer's dictionaries):
            // equal keys are mostly the same objects
            if (a[position] == b[position]) {
                continue;
            }
            int order = ((Comparable<Object>) a[position]).compareTo(b[position]);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /**
     * Rows of read_cohort_count with the columns {@code span, captured_day, source_key, campaign_key, owner_key}
     * and the counts, in that order.
     */
    static KeyOrderedRows cohortCounts(int bufferRows) {
        return new KeyOrderedRows("read_cohort_count", withCounts(text("span"), integer("captured_day"),
                text("source_key"), text("campaign_key"), text("owner_key")),
                List.of("span", "source_key", "campaign_key", "owner_key", "captured_day"), bufferRows, 16,
                row -> subsetOf(row, 2) | (ReportAggregates.EVER.equals(row[0]) ? 8 : 0));
    }

    /**
     * The subset of (source, campaign, owner) that a row counts under, as the bits of those that are {@link
     * ReportAggregates#ANY}: the three columns from {@code first} on.
     */
    private static int subsetOf(Object[] row, int first) {
        int subset = 0;
        for (int i = 0; i < 3; i++) {
            if (ReportAggregates.ANY.equals(row[first + i])) {
                subset |= 1 << i;
            }
        }
        return subset;
    }

    /** Rows of read_cohort_month_change: {@code changed_day, captured_month} and the counts. */
    static KeyOrderedRows monthChanges(int bufferRows) {
        return new KeyOrderedRows("read_cohort_month_change", withCounts(integer("changed_day"), text("captured_month")),
                List.of("changed_day", "captured_month"), bufferRows);
    }

    /** Rows of read_duration_bucket: {@code source_key, campaign_key, owner_key, stage, digits, bucket, visits, total_micros}. */
    static KeyOrderedRows durationBuckets(int bufferRows) {
        List<String> key = List.of("source_key", "campaign_key", "owner_key", "stage", "digits", "bucket");
        return new KeyOrderedRows("read_duration_bucket", withVisits(text("source_key"), text("campaign_key"),
                text("owner_key"), text("stage"), integer("digits"), integer("bucket")), key, bufferRows, 8,
                row -> subsetOf(row, 0));
    }

    /** Rows of read_duration_period: {@code ended_period, stage, digits, bucket, visits, total_micros}. */
    static KeyOrderedRows durationsPerPeriod(int bufferRows) {
        return new KeyOrderedRows("read_duration_period", withVisits(integer("ended_period"), text("stage"),
                integer("digits"), integer("bucket")), List.of("stage", "digits", "bucket", "ended_period"), bufferRows);
    }

    /** Rows of read_duration_captured: {@code captured_day, stage, bucket, visits, total_micros}. */
    static KeyOrderedRows durationsPerCaptureDay(int bufferRows) {
        return new KeyOrderedRows("read_duration_captured", withVisits(integer("captured_day"), text("stage"),
                integer("bucket")), List.of("captured_day", "stage", "bucket"), bufferRows);
    }

    private static Column text(String name) {
        return new Column(name, Kind.TEXT);
    }

    private static Column integer(String name) {
        return new Column(name, Kind.INT);
    }

    private static List<Column> withCounts(Column... key) {
        List<Column> columns = new ArrayList<>(List.of(key));
        CohortCounts.COLUMNS.forEach(name -> columns.add(new Column(name,
                name.endsWith("_micros") ? Kind.DECIMAL : Kind.COUNT)));
        return columns;
    }

    private static List<Column> withVisits(Column... key) {
        List<Column> columns = new ArrayList<>(List.of(key));
        columns.add(new Column("visits", Kind.COUNT));
        columns.add(new Column("total_micros", Kind.DECIMAL));
        return columns;
    }

    private int[] positionsOf(Kind kind) {
        return IntStream.range(0, columns.size()).filter(i -> columns.get(i).kind() == kind).toArray();
    }

    private int position(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name + " in " + columns);
    }

    /** Closes every one of {@code tables}, each even when another could not be; the first failure is thrown. */
    static void closeAll(AutoCloseable... tables) {
        RuntimeException failure = null;
        for (AutoCloseable table : tables) {
            try {
                table.close();
            } catch (Exception e) {
                RuntimeException thrown = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                if (failure == null) {
                    failure = thrown;
                } else {
                    failure.addSuppressed(thrown);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What one row of a query adds: itself, or rows under other keys derived from it, or both. */
    interface Fan {
        /** The row itself and nothing else. */
        Fan AS_IS = (row, rows) -> rows.accept(row);

        void rowsOf(Object[] row, java.util.function.Consumer<Object[]> rows);
    }

    /**
     * Adds what {@code fan} makes of each row of {@code sql}, whose select list has {@link #columns} in their
     * order.
     */
    void addRowsOf(JdbcTemplate jdbc, String sql, Fan fan, Object... args) {
        jdbc.query(sql, rs -> {
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                Column column = columns.get(i);
                row[i] = switch (column.kind()) {
                    case TEXT -> rs.getString(i + 1);
                    case INT -> rs.getInt(i + 1);
                    case COUNT -> rs.getLong(i + 1);
                    case DECIMAL -> decimal(rs.getBigDecimal(i + 1));
                };
                if (rs.wasNull() && column.isKey()) {
                    throw new IllegalStateException(table + ": a row without " + column.name() + " from " + sql);
                }
            }
            fan.rowsOf(row, this::add);
        }, args);
    }

    /**
     * Adds a row with the columns in their order, none of its keys null. The buffer keeps the row's values, not the
     * array, so that the caller may fill the same array again for the next row.
     */
    void add(Object[] row) {
        int index = partOf.applyAsInt(row);
        partAdds[index]++;
        if (parts.add(index, row) && ++held >= bufferRows) {
            spill(leastAddedTo());
        }
    }

    /**
     * The parts whose rows were added to least often for the keys they hold, as many as free half of the buffer: a
     * part that is mostly new keys gains nothing from staying, one of few keys added to often would be written
     * again and again. Half, so that a run is not a few rows of one small part.
     */
    private List<Integer> leastAddedTo() {
        List<Integer> byNewKeys = IntStream.range(0, partAdds.length).filter(index -> parts.size(index) > 0)
                .boxed()
                .sorted(Comparator.comparingDouble(index -> -(double) parts.size(index) / partAdds[index]))
                .toList();
        List<Integer> chosen = new ArrayList<>();
        int freed = 0;
        for (int index : byNewKeys) {
            if (!chosen.isEmpty() && 2 * freed >= bufferRows) {
                break;
            }
            chosen.add(index);
            freed += parts.size(index);
        }
        return chosen;
    }

    private static BigDecimal decimal(BigDecimal value) {
        return value == null || value.signum() == 0 ? BigDecimal.ZERO : value;
    }

    /**
     * Inserts the rows, one per key with the values of that key added up, in primary-key order, leaving out rows
     * whose values are all zero; commits every {@value #ROWS_PER_COMMIT} rows through {@code eachChunk} when
     * given, else writes in the caller's transaction. Returns the rows inserted.
     */
    long insertInto(JdbcTemplate jdbc, TransactionTemplate eachChunk) {
        String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
        String insert = "INSERT INTO " + table + " (" + names + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        boolean copies = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                connection.isWrapperFor(PGConnection.class)));
        long inserted = 0;
        int spilled;
        try {
            Iterator<Object[]> rows = summed();
            spilled = runs.size();
            // On PostgreSQL the next chunk is merged while the server copies this one: the merge took half of the
            // writing thread's time, the COPY the other half. On H2 the inserts are this JVM's own work, beside
            // the base tables' indexes, and a merge thread only slowed those (docs/benchmarks.md, session 12).
            Iterator<List<Object[]>> chunks = new Chunks(rows);
            ReadAhead<List<Object[]>> ahead = copies ? new ReadAhead<>(chunks, "rows-of-" + table) : null;
            if (ahead != null) {
                chunks = ahead;
            }
            try {
                while (chunks.hasNext()) {
                    List<Object[]> chunk = chunks.next();
                    Runnable write = copies ? () -> copy(jdbc, chunk) : () -> insertBatches(jdbc, insert, chunk);
                    if (eachChunk == null) {
                        write.run();
                    } else {
                        eachChunk.executeWithoutResult(status -> write.run());
                    }
                    inserted += chunk.size();
                }
            } finally {
                if (ahead != null) {
                    ahead.close();
                }
            }
        } finally {
            close();
        }
        if (inserted > 0) {
            log.info("{} rows of {} inserted in key order{}", inserted, table,
                    spilled == 0 ? "" : ", merged from " + spilled + " sorted files of " + spilledRows + " rows"
                            + (partAdds.length == 1 ? "" : " (per part " + Arrays.toString(partSpilledRows) + ")"));
        }
        return inserted;
    }

    /**
     * The rows by PostgreSQL's {@code COPY}: several times as fast as batched inserts there. The table's name goes
     * through {@code nativeSQL} so that a connection that routes table names (a read-model generation) routes it too.
     */
    private void copy(JdbcTemplate jdbc, List<Object[]> rows) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            postgresCopy.copyIn(connection, connection.nativeSQL(table), columnNames, rows);
            return null;
        });
    }

    private static void insertBatches(JdbcTemplate jdbc, String insert, List<Object[]> rows) {
        for (int from = 0; from < rows.size(); from += ROWS_PER_BATCH) {
            jdbc.batchUpdate(insert, rows.subList(from, Math.min(rows.size(), from + ROWS_PER_BATCH)));
        }
    }

    /** The rows that are not all zero, {@value #ROWS_PER_COMMIT} at a time. */
    private final class Chunks implements Iterator<List<Object[]>> {
        private final Iterator<Object[]> rows;
        private List<Object[]> next;

        Chunks(Iterator<Object[]> rows) {
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                List<Object[]> chunk = new ArrayList<>(ROWS_PER_COMMIT);
                while (chunk.size() < ROWS_PER_COMMIT && rows.hasNext()) {
                    Object[] row = rows.next();
                    if (!allZero(row)) {
                        chunk.add(row);
                    }
                }
                next = chunk.isEmpty() ? null : chunk;
            }
            return next != null;
        }

        @Override
        public List<Object[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<Object[]> chunk = next;
            next = null;
            return chunk;
        }
    }

    /** Rows written to spilled runs so far: what keeping the buffer in parts saves. */
    long spilledRows() {
        return spilledRows;
    }

    /** Every key once, in key order, its values added up over the buffer and the spilled runs. */
    private Iterator<Object[]> summed() {
        if (runs.isEmpty()) {
            return takeSorted(allParts()).iterator();
        }
        spill(allParts());
        for (Path run : runs) {
            readers.add(new RunReader(run));
        }
        return new Merge(readers);
    }

    private List<Integer> allParts() {
        return IntStream.range(0, partAdds.length).boxed().toList();
    }

    /** The rows of the parts {@code from}, sorted, each an array of its own; the parts are emptied. */
    private List<Object[]> takeSorted(List<Integer> from) {
        List<Object[]> rows = new ArrayList<>(held);
        emptied(from, false);
        parts.drainSorted(from, rows::add);
        return rows;
    }

    /** Counts the rows of the parts {@code from} out of the buffer, as spilled or not. */
    private void emptied(List<Integer> from, boolean toSpill) {
        for (int index : from) {
            int size = parts.size(index);
            held -= size;
            if (toSpill) {
                partSpilledRows[index] += size;
                spilledRows += size;
            }
            partAdds[index] = 0;
        }
    }

    /** Writes the rows of the parts {@code from}, sorted together, to a new temporary file, and empties them. */
    private void spill(List<Integer> from) {
        if (from.stream().allMatch(index -> parts.size(index) == 0)) {
            return;
        }
        String failed = "could not spill the rows of " + table + " to a temporary file";
        try {
            Path run = Files.createTempFile("pipeline-" + table + "-", ".run");
            runs.add(run);
            try (SpilledRows.Writer out = spilled.writer(run)) {
                // from here on the parts are emptied, also when writing fails half way
                emptied(from, true);
                parts.drainSortedHeld(from, out::write);
            }
        } catch (IOException e) {
            // the cause: the failed write, with a failure to close the file after it suppressed in it
            throw new UncheckedIOException(failed, e);
        }
    }

    /** Adds the values of {@code row} to those of {@code into}, a row of the same key that left the buffer. */
    private void addValues(Object[] into, Object[] row) {
        for (int position : countPositions) {
            // most values added are zero, and adding one would box a new number all the same
            long value = (Long) row[position];
            if (value != 0) {
                into[position] = (Long) into[position] + value;
            }
        }
        addDecimals(into, row);
    }

    private void addDecimals(Object[] into, Object[] row) {
        for (int position : decimalPositions) {
            BigDecimal value = (BigDecimal) row[position];
            if (value.signum() != 0) {
                into[position] = ((BigDecimal) into[position]).add(value);
            }
        }
    }

    private boolean allZero(Object[] row) {
        for (int i = 0; i < row.length; i++) {
            Kind kind = columns.get(i).kind();
            if (kind == Kind.COUNT && (Long) row[i] != 0L
                    || kind == Kind.DECIMAL && ((BigDecimal) row[i]).signum() != 0) {
                return false;
            }
        }
        return true;
    }

    /** One spilled run, read a row ahead. */
    private final class RunReader implements AutoCloseable {
        private final SpilledRows.Reader in;
        private Object[] head;

        RunReader(Path run) {
            try {
                in = spilled.reader(run);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read back the rows of " + table + " from " + run, e);
            }
            try {
                advance();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        void advance() {
            try {
                head = in.read();
                if (head == null) {
                    close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read back the rows of " + table, e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The runs merged in key order, rows of one key added up into one. */
    private final class Merge implements Iterator<Object[]> {
        private final PriorityQueue<RunReader> heads = new PriorityQueue<>((a, b) -> byKey.compare(a.head, b.head));

        Merge(List<RunReader> readers) {
            readers.stream().filter(reader -> reader.head != null).forEach(heads::add);
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public Object[] next() {
            RunReader first = heads.poll();
            Object[] row = first.head;
            first.advance();
            if (first.head != null) {
                heads.add(first);
            }
            while (!heads.isEmpty() && byKey.compare(heads.peek().head, row) == 0) {
                RunReader same = heads.poll();
                addValues(row, same.head);
                same.advance();
                if (same.head != null) {
                    heads.add(same);
                }
            }
            return row;
        }
    }

    /** Forgets the rows, closes the runs being read and deletes the spilled files, all of them even if one fails. */
    @Override
    public void close() {
        parts.clear();
        Arrays.fill(partAdds, 0);
        held = 0;
        UncheckedIOException failure = null;
        for (RunReader reader : readers) {
            try {
                reader.close();
            } catch (UncheckedIOException e) {
                failure = failure == null ? e : failure;
            }
        }
        readers.clear();
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                failure = failure == null ? new UncheckedIOException("could not delete " + run, e) : failure;
            }
        }
        runs.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
