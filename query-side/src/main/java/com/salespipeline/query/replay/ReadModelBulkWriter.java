package com.salespipeline.query.replay;

import static com.salespipeline.query.lifecycle.Timestamps.epochMicros;
import static com.salespipeline.query.lifecycle.Timestamps.toDb;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * Inserts folded contacts' rows with JDBC batches: one statement per table, executed every
 * {@code batchRows} rows and at the end. The table names are the first generation's; a routed connection
 * points them at the generation being built.
 */
final class ReadModelBulkWriter {

    static final String INSERT_CONTACT = """
            INSERT INTO read_contact (contact_id, version, name, email, company, source, campaign, owner, owner_since,
                stage, stage_entered_at, stage_entered_micros, captured_at, captured_month, last_occurred_at,
                entered_mql_at, entered_prospect_at, entered_opportunity_at, entered_customer_at, entered_advocate_at,
                reached_mql_at, reached_prospect_at, reached_opportunity_at, reached_customer_at, reached_advocate_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String INSERT_VISIT = """
            INSERT INTO read_stage_visit (contact_id, entered_seq, stage, entered_at, entered_micros, left_at,
                duration_micros, captured_at, captured_month, source, campaign)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String INSERT_OWNER_PERIOD = """
            INSERT INTO read_owner_period (contact_id, from_seq, owner, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)""";
    static final String INSERT_OPPORTUNITY = """
            INSERT INTO read_opportunity (contact_id, opportunity_id, upsell, opened_at, closed_at, outcome,
                captured_at, captured_month, source, campaign)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final int batchRows;

    ReadModelBulkWriter(int batchRows) {
        this.batchRows = batchRows;
    }

    /** Writes every row of the contacts on the connection, in the caller's transaction. */
    void write(Connection connection, List<ContactRows> contacts) throws SQLException {
        try (Table contactTable = new Table(connection, INSERT_CONTACT);
             Table visitTable = new Table(connection, INSERT_VISIT);
             Table ownerTable = new Table(connection, INSERT_OWNER_PERIOD);
             Table opportunityTable = new Table(connection, INSERT_OPPORTUNITY)) {
            for (ContactRows contact : contacts) {
                contact(contactTable.statement, contact);
                contactTable.added();
                for (ContactRows.Visit visit : contact.visits) {
                    visit(visitTable.statement, contact, visit);
                    visitTable.added();
                }
                for (ContactRows.OwnerPeriod period : contact.ownerPeriods) {
                    PreparedStatement s = ownerTable.statement;
                    s.setObject(1, contact.contactId);
                    s.setLong(2, period.fromSeq);
                    text(s, 3, period.owner);
                    instant(s, 4, period.validFrom);
                    instant(s, 5, period.validTo);
                    ownerTable.added();
                }
                for (ContactRows.Opportunity opportunity : contact.opportunities) {
                    PreparedStatement s = opportunityTable.statement;
                    s.setObject(1, contact.contactId);
                    s.setObject(2, opportunity.opportunityId);
                    s.setBoolean(3, opportunity.upsell);
                    instant(s, 4, opportunity.openedAt);
                    instant(s, 5, opportunity.closedAt);
                    text(s, 6, opportunity.outcome);
                    cohort(s, 7, contact);
                    opportunityTable.added();
                }
            }
            contactTable.flush();
            visitTable.flush();
            ownerTable.flush();
            opportunityTable.flush();
        }
    }

    private static void contact(PreparedStatement s, ContactRows c) throws SQLException {
        s.setObject(1, c.contactId);
        s.setLong(2, c.version);
        text(s, 3, c.name);
        text(s, 4, c.email);
        text(s, 5, c.company);
        text(s, 6, c.source);
        text(s, 7, c.campaign);
        text(s, 8, c.owner);
        instant(s, 9, c.ownerSince);
        text(s, 10, c.stage.name());
        instant(s, 11, c.stageEnteredAt);
        s.setLong(12, epochMicros(c.stageEnteredAt));
        instant(s, 13, c.capturedAt);
        text(s, 14, c.capturedMonth);
        instant(s, 15, c.lastOccurredAt);
        for (int order = 1; order <= 5; order++) {
            instant(s, 15 + order, c.entered[order]);
            instant(s, 20 + order, c.reached[order]);
        }
    }

    private static void visit(PreparedStatement s, ContactRows c, ContactRows.Visit v) throws SQLException {
        long enteredMicros = epochMicros(v.enteredAt);
        s.setObject(1, c.contactId);
        s.setLong(2, v.enteredSeq);
        text(s, 3, v.stage.name());
        instant(s, 4, v.enteredAt);
        s.setLong(5, enteredMicros);
        instant(s, 6, v.leftAt);
        if (v.leftAt == null) {
            s.setNull(7, Types.BIGINT);
        } else {
            s.setLong(7, epochMicros(v.leftAt) - enteredMicros);
        }
        cohort(s, 8, c);
    }

    /** captured_at, captured_month, source, campaign: the contact's cohort, copied onto its other rows. */
    private static void cohort(PreparedStatement s, int first, ContactRows c) throws SQLException {
        instant(s, first, c.capturedAt);
        text(s, first + 1, c.capturedMonth);
        text(s, first + 2, c.source);
        text(s, first + 3, c.campaign);
    }

    private static void text(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private static void instant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, toDb(value));
        }
    }

    private final class Table implements AutoCloseable {
        final PreparedStatement statement;
        private int pending;

        Table(Connection connection, String sql) throws SQLException {
            this.statement = connection.prepareStatement(sql);
        }

        void added() throws SQLException {
            statement.addBatch();
            if (++pending >= batchRows) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (pending > 0) {
                statement.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }
}
