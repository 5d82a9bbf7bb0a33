package com.salespipeline.query.replay;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The base rows of a bulk load on PostgreSQL, written in one transaction that begins by emptying their tables, so that
 * every {@code COPY} may write its rows frozen ({@code COPY ... FREEZE}). Frozen rows cost their first readers no
 * commit-status lookups and no hint-bit writes, and from PostgreSQL 14 on such a {@code COPY} also marks their pages
 * all-visible, which the reports' index-only scans need: the {@code VACUUM} that otherwise does that after the load
 * is then left out ({@link #spareVacuum()}).
 *
 * <p>Nothing reads the generation being built, and the {@code TRUNCATE} holds its tables until the commit, so no
 * transaction sees the rows before they are complete. A load that fails leaves none of its base rows.
 */
final class FrozenBaseRows implements AutoCloseable {

    private final Connection connection;
    private final ReadModelBulkWriter writer;
    private final ReadModelGenerations generations;
    private final String target;
    private final boolean visibilityMapSet;
    private boolean committed;

    private FrozenBaseRows(Connection connection, ReadModelBulkWriter writer, ReadModelGenerations generations,
                           String target) throws SQLException {
        this.connection = connection;
        this.writer = writer;
        this.generations = generations;
        this.target = target;
        this.visibilityMapSet = connection.getMetaData().getDatabaseMajorVersion() >= 14;
    }

    /** Takes a connection of its own and empties the base tables of {@code target} in its transaction. */
    static FrozenBaseRows begin(DataSource dataSource, ReadModelBulkWriter writer, ReadModelGenerations generations,
                                String target) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            FrozenBaseRows rows = new FrozenBaseRows(connection, writer, generations, target);
            try (Statement statement = connection.createStatement()) {
                statement.execute(generations.on(target, () -> generations.route("TRUNCATE TABLE "
                        + String.join(", ", ReplayService.BASE_TABLES))));
            }
            return rows;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            connection.close();
            throw e;
        }
    }

    void write(List<ContactRows> contacts) throws SQLException {
        SQLException[] failure = new SQLException[1];
        generations.on(target, () -> {
            try {
                writer.write(connection, contacts, true);
            } catch (SQLException e) {
                failure[0] = e;
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    void commit() throws SQLException {
        connection.commit();
        committed = true;
    }

    /** True when the rows' pages are marked all-visible by the copies themselves (PostgreSQL 14 and later). */
    boolean spareVacuum() {
        return visibilityMapSet;
    }

    @Override
    public void close() throws SQLException {
        try {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        } finally {
            connection.close();
        }
    }
}
