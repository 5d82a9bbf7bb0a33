package com.salespipeline.query.replay;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The event table's rows in the order of contact and sequence, one at a time, however the database gives them. */
interface SortedRows extends AutoCloseable {

    /** Moves to the next row; false when there is none. */
    boolean next() throws SQLException;

    /** The result set positioned at the current row. */
    ResultSet row();

    @Override
    void close() throws SQLException;

    /** One result set that streams every row (PostgreSQL with a fetch size in a transaction); closes its statement. */
    static SortedRows streamed(Statement statement, ResultSet rows) {
        return new SortedRows() {
            @Override
            public boolean next() throws SQLException {
                return rows.next();
            }

            @Override
            public ResultSet row() {
                return rows;
            }

            @Override
            public void close() throws SQLException {
                try (statement) {
                    rows.close();
                }
            }
        };
    }
}
