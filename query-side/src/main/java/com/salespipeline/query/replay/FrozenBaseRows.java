package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.PostgresCopy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The base rows of a bulk load on PostgreSQL, each table's in one {@code COPY ... FREEZE} that runs for the whole load
 * in a transaction of its own, which began by emptying that table (the server writes rows frozen only into a table
 * emptied or made in the same transaction). Frozen rows cost their first readers no commit-status lookups and no
 * hint-bit writes, and from PostgreSQL 14 on such a {@code COPY} also marks their pages all-visible, which the
 * reports' index-only scans need: the {@code VACUUM} that otherwise does that after the load is then left out
 * ({@link #spareVacuum()}).
 *
 * <p>One {@code COPY} per table, not one per batch: from PostgreSQL 16 on, each {@code COPY} into a table emptied in
 * its transaction leaves about 15 empty pages at its end, which the next one does not reuse (a third of the pages of
 * a load of batches of 2,000 contacts; docs/benchmarks.md, session 50). A connection takes one {@code COPY} at a
 * time, so the load holds one connection per base table.
 *
 * <p>Nothing reads the generation being built, and each {@code TRUNCATE} holds its table until its commit, so no
 * transaction sees a table's rows before they are complete. A load that fails before {@link #commit()} leaves none of
 * its base rows; the server may refuse a row only at a later batch or at the commit. The four transactions are
 * committed one after the other: if one of those commits fails, the tables committed before it keep their rows, which
 * the generation does not serve, and which the next load empties.
 */
final class FrozenBaseRows implements AutoCloseable {

    private final ReadModelBulkWriter writer;
    private final List<Connection> connections = new ArrayList<>();
    private final List<PostgresCopy.Stream> copies = new ArrayList<>();
    private boolean visibilityMapSet;
    private boolean committed;

    private FrozenBaseRows(ReadModelBulkWriter writer) {
        this.writer = writer;
    }

    /**
     * Takes a connection of its own for each base table of generation {@code target}, empties the table in its
     * transaction and starts its {@code COPY}; {@code writer}'s rows then go to that generation.
     */
    static FrozenBaseRows begin(DataSource dataSource, ReadModelBulkWriter writer, String target) throws SQLException {
        ReadModelBulkWriter routed = writer.routedBy(sql -> ReadModelGenerations.route(sql, target));
        FrozenBaseRows rows = new FrozenBaseRows(routed);
        try {
            for (ReadModelBulkWriter.Target table : routed.targets()) {
                Connection connection = dataSource.getConnection();
                rows.connections.add(connection);
                connection.setAutoCommit(false);
                rows.visibilityMapSet = connection.getMetaData().getDatabaseMajorVersion() >= 14;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("TRUNCATE TABLE " + table.table());
                }
                rows.copies.add(routed.open(connection, table, true));
            }
            return rows;
        } catch (SQLException | RuntimeException e) {
            try {
                rows.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    void write(List<ContactRows> contacts) throws SQLException {
        List<List<Object[]>> rows = writer.rows(contacts);
        for (int t = 0; t < copies.size(); t++) {
            copies.get(t).write(rows.get(t));
        }
    }

    void commit() throws SQLException {
        for (PostgresCopy.Stream copy : copies) {
            copy.end();
        }
        for (Connection connection : connections) {
            connection.commit();
        }
        committed = true;
    }

    /** True when the rows' pages are marked all-visible by the copies themselves (PostgreSQL 14 and later). */
    boolean spareVacuum() {
        return visibilityMapSet;
    }

    /**
     * Rolls back what was not committed and gives every connection back, each whatever happened to the others: with
     * the server gone, a pool's close can throw after taking its connection back, and a connection left unclosed
     * would be lost to the pool for good.
     */
    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (int c = 0; c < connections.size(); c++) {
            Connection connection = connections.get(c);
            try {
                if (!committed) {
                    if (c < copies.size()) {
                        copies.get(c).cancel();
                    }
                    connection.rollback();
                }
                connection.setAutoCommit(true);
            } catch (SQLException | RuntimeException e) {
                failure = withSuppressed(failure, e);
            } finally {
                try {
                    connection.close();
                } catch (SQLException | RuntimeException e) {
                    failure = withSuppressed(failure, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static SQLException withSuppressed(SQLException failure, Exception e) {
        if (failure == null) {
            return e instanceof SQLException sql ? sql : new SQLException("closing the base rows' connections", e);
        }
        failure.addSuppressed(e);
        return failure;
    }
}
