package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.BenchDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the database itself can do for appends: each client inserts one event-sized row and commits, again and
 * again, into a table created from the command side's own migration for domain_event_entry (same columns, same
 * indexes, same identity column) under another name. No batching, no group commit: one row per transaction.
 */
public final class AppendBaseline {

    private AppendBaseline() {
    }

    /** Rows committed per second by {@code clients} connections in {@code seconds}. */
    public static double rowsPerSecond(BenchDatabase database, int clients, int seconds, Progress progress)
            throws SQLException, InterruptedException {
        createTable(database);
        String payload = EventSizedRow.payload();
        String metaData = EventSizedRow.metaData();
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Connection connection = database.baselineConnection();
                connection.setAutoCommit(false);
                connections.add(connection);
            }
            AtomicLong committed = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(clients);
            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            for (Connection connection : connections) {
                Thread client = new Thread(() -> {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
                            + BenchDatabase.BASELINE_TABLE + " (event_identifier, aggregate_identifier, sequence_number,"
                            + " type, time_stamp, payload_type, payload_revision, payload, meta_data)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        while (System.nanoTime() < deadline && failure.get() == null) {
                            insert.setString(1, UUID.randomUUID().toString());
                            insert.setString(2, UUID.randomUUID().toString());
                            insert.setLong(3, 0);
                            insert.setString(4, "Contact");
                            insert.setString(5, Instant.now().toString());
                            insert.setString(6, "com.salespipeline.events.LeadCaptured");
                            insert.setString(7, "2");
                            insert.setString(8, payload);
                            insert.setString(9, metaData);
                            insert.executeUpdate();
                            connection.commit();
                            committed.incrementAndGet();
                        }
                    } catch (SQLException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }, "baseline-client");
                client.setDaemon(true);
                client.start();
            }
            while (!done.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                double elapsed = (System.nanoTime() - start) / 1e9;
                progress.update(Math.min(seconds, (long) elapsed), seconds, String.format(Locale.ROOT,
                        "s, %d clients, %.0f rows/s", clients, committed.get() / Math.max(elapsed, 1e-9)));
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException("baseline insert failed", failure.get());
            }
            return committed.get() / elapsed;
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
            database.dropBaseline();
        }
    }

    private static void createTable(BenchDatabase database) throws SQLException {
        String ddl = eventTableDdl(database.vendor()).replace("domain_event_entry", BenchDatabase.BASELINE_TABLE);
        try (Connection connection = database.baselineConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + BenchDatabase.BASELINE_TABLE);
            statement.execute(ddl);
        }
    }

    /** The CREATE TABLE of domain_event_entry from the command side's first migration for this vendor. */
    static String eventTableDdl(String vendor) {
        String resource = "db/command/" + vendor + "/V1__event_store.sql";
        try (InputStream in = AppendBaseline.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = sql.indexOf("CREATE TABLE domain_event_entry");
            int end = sql.indexOf(");", start);
            if (start < 0 || end < 0) {
                throw new IllegalStateException("no CREATE TABLE domain_event_entry in " + resource);
            }
            return sql.substring(start, end + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
