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
    private final boolean visibilityMapSet;
    private boolean committed;

    private FrozenBaseRows(Connection connection, ReadModelBulkWriter writer) throws SQLException {
        this.connection = connection;
        this.writer = writer;
        this.visibilityMapSet = connection.getMetaData().getDatabaseMajorVersion() >= 14;
    }

    /**
     * Takes a connection of its own and empties the base tables of generation {@code target} in its transaction;
     * {@code writer}'s rows then go to that generation.
     */
    static FrozenBaseRows begin(DataSource dataSource, ReadModelBulkWriter writer, String target) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            FrozenBaseRows rows = new FrozenBaseRows(connection,
                    writer.routedBy(sql -> ReadModelGenerations.route(sql, target)));
            try (Statement statement = connection.createStatement()) {
                statement.execute(ReadModelGenerations.route("TRUNCATE TABLE "
                        + String.join(", ", ReplayService.BASE_TABLES), target));
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
        writer.write(connection, contacts, true);
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
