package com.salespipeline.query.replay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The event table in the order of its unique index (contact, sequence), read on H2 a page at a time, each page a
 * statement of its own that ends before the next begins. H2 keeps the chunks of its file that a running statement
 * may read, but a lazy result outlives its statement: a lazy read of the whole store failed with "Chunk N not found"
 * once the file was compacted beside it (H2 issue 4142; {@code BulkReplayBesideCompactionTest}).
 *
 * <p>Each page goes on from the last row of the one before: within that contact while a page comes back full
 * (its history may go on), then from the next contact. Both conditions are ranges of the unique index, which H2
 * reads in its order and stops at the page's end.
 */
final class HistoryPages implements SortedRows {

    private enum Kind { FROM_START, AFTER_CONTACT, WITHIN_CONTACT }

    private final Connection connection;
    private final String selectFrom;
    private final String contactColumn;
    private final String sequenceColumn;
    private final int contactPosition;
    private final int sequencePosition;
    private final int pageSize;
    private PreparedStatement statement;
    private ResultSet page;
    private Kind kind;
    private int rowsInPage;
    private String lastContact;
    private long lastSequence;
    private boolean exhausted;

    /**
     * @param selectFrom       {@code SELECT <columns> FROM <event table>}, with no condition or order
     * @param contactPosition  where the contact's column is among the selected columns (1-based)
     * @param sequencePosition where the sequence number's column is
     */
    HistoryPages(Connection connection, String selectFrom, String contactColumn, String sequenceColumn,
                 int contactPosition, int sequencePosition, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("a page holds at least one row, not " + pageSize);
        }
        this.connection = connection;
        this.selectFrom = selectFrom;
        this.contactColumn = contactColumn;
        this.sequenceColumn = sequenceColumn;
        this.contactPosition = contactPosition;
        this.sequencePosition = sequencePosition;
        this.pageSize = pageSize;
    }

    @Override
    public boolean next() throws SQLException {
        while (true) {
            if (page != null && page.next()) {
                rowsInPage++;
                lastContact = page.getString(contactPosition);
                lastSequence = page.getLong(sequencePosition);
                return true;
            }
            if (exhausted) {
                return false;
            }
            openNextPage();
        }
    }

    @Override
    public ResultSet row() {
        return page;
    }

    private void openNextPage() throws SQLException {
        Kind next = nextKind();
        closePage();
        if (next == null) {
            exhausted = true;
            return;
        }
        String order = " ORDER BY " + contactColumn + ", " + sequenceColumn + " LIMIT " + pageSize;
        statement = connection.prepareStatement(switch (next) {
            case FROM_START -> selectFrom + order;
            case AFTER_CONTACT -> selectFrom + " WHERE " + contactColumn + " > ?" + order;
            case WITHIN_CONTACT -> selectFrom + " WHERE " + contactColumn + " = ? AND " + sequenceColumn + " > ?" + order;
        }, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        if (next != Kind.FROM_START) {
            statement.setString(1, lastContact);
        }
        if (next == Kind.WITHIN_CONTACT) {
            statement.setLong(2, lastSequence);
        }
        page = statement.executeQuery();
        kind = next;
        rowsInPage = 0;
    }

    /** What the page after the one just read holds; null when the history has been read to its end. */
    private Kind nextKind() {
        if (kind == null) {
            return Kind.FROM_START;
        }
        boolean full = rowsInPage == pageSize;
        if (kind == Kind.WITHIN_CONTACT) {
            return full ? Kind.WITHIN_CONTACT : Kind.AFTER_CONTACT;
        }
        // a full page may have ended inside a contact's history; a page that is not full read up to the end
        return full ? Kind.WITHIN_CONTACT : null;
    }

    private void closePage() throws SQLException {
        try (PreparedStatement open = statement) {
            if (page != null) {
                page.close();
            }
        } finally {
            page = null;
            statement = null;
        }
    }

    @Override
    public void close() throws SQLException {
        exhausted = true;
        closePage();
    }
}
