package com.salespipeline.query.replay;

import static com.salespipeline.query.lifecycle.Timestamps.epochMicros;
import static com.salespipeline.query.lifecycle.Timestamps.toDb;

import com.salespipeline.query.lifecycle.PostgresCopy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.postgresql.PGConnection;

/**
 * Inserts folded contacts' rows: on PostgreSQL with {@code COPY ... FROM STDIN}, which parses and writes rows
 * without planning a statement for each batch; on H2 with JDBC batches of multi-row INSERTs, a hundred rows in
 * one statement. The table names are the first generation's; {@code route} points them at the generation
 * being built (a routed connection does that for statements, but a COPY bypasses it).
 */
final class ReadModelBulkWriter {

    private static final int TZ = Types.TIMESTAMP_WITH_TIMEZONE;

    private static final Table CONTACTS = new Table("read_contact", List.of("contact_id", "version", "name", "email",
            "company", "source", "campaign", "owner", "owner_since", "stage", "stage_entered_at", "stage_entered_micros",
            "captured_at", "captured_month", "last_occurred_at", "entered_mql_at", "entered_prospect_at",
            "entered_opportunity_at", "entered_customer_at", "entered_advocate_at", "reached_mql_at",
            "reached_prospect_at", "reached_opportunity_at", "reached_customer_at", "reached_advocate_at"),
            new int[] {Types.OTHER, Types.BIGINT, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR,
                    Types.VARCHAR, Types.VARCHAR, TZ, Types.VARCHAR, TZ, Types.BIGINT, TZ,
                    Types.VARCHAR, TZ, TZ, TZ, TZ, TZ, TZ,
                    TZ, TZ, TZ, TZ, TZ});
    private static final Table VISITS = new Table("read_stage_visit", List.of("contact_id", "entered_seq", "stage",
            "entered_at", "entered_micros", "left_at", "duration_micros", "captured_at", "captured_month", "source",
            "campaign"),
            new int[] {Types.OTHER, Types.BIGINT, Types.VARCHAR, TZ, Types.BIGINT, TZ, Types.BIGINT,
                    TZ, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR});
    private static final Table OWNER_PERIODS = new Table("read_owner_period", List.of("contact_id", "from_seq", "owner",
            "valid_from", "valid_to"), new int[] {Types.OTHER, Types.BIGINT, Types.VARCHAR, TZ, TZ});
    private static final Table OPPORTUNITIES = new Table("read_opportunity", List.of("contact_id", "opportunity_id",
            "upsell", "opened_at", "closed_at", "outcome", "captured_at", "captured_month", "source", "campaign"),
            new int[] {Types.OTHER, Types.OTHER, Types.BOOLEAN, TZ, TZ, Types.VARCHAR, TZ,
                    Types.VARCHAR, Types.VARCHAR, Types.VARCHAR});

    /** In the order of {@link #rows}. */
    private static final List<Table> TABLES = List.of(CONTACTS, VISITS, OWNER_PERIODS, OPPORTUNITIES);

    private final int rowsPerStatement;
    private final int batchRows;
    private final UnaryOperator<String> route;
    private final PostgresCopy postgresCopy = new PostgresCopy();

    /**
     * @param batchRows rows sent in one JDBC batch, in statements of {@code rowsPerStatement} rows
     * @param route     a statement with its table names pointed at the generation being written
     */
    ReadModelBulkWriter(int rowsPerStatement, int batchRows, UnaryOperator<String> route) {
        this.rowsPerStatement = rowsPerStatement;
        this.batchRows = batchRows;
        this.route = route;
    }

    /** This writer with the table names pointed at another generation by {@code otherRoute}. */
    ReadModelBulkWriter routedBy(UnaryOperator<String> otherRoute) {
        return new ReadModelBulkWriter(rowsPerStatement, batchRows, otherRoute);
    }

    /** Writes every row of the contacts on the connection, in the caller's transaction. */
    void write(Connection connection, List<ContactRows> contacts) throws SQLException {
        write(connection, contacts, false);
    }

    /**
     * As {@link #write(Connection, List)}; {@code frozen} has PostgreSQL write the rows frozen, into tables emptied in
     * the caller's transaction ({@link FrozenBaseRows}); H2 has no such thing and ignores it.
     */
    void write(Connection connection, List<ContactRows> contacts, boolean frozen) throws SQLException {
        List<List<Object[]>> rows = rows(contacts);
        boolean copies = connection.isWrapperFor(PGConnection.class);
        for (int t = 0; t < TABLES.size(); t++) {
            if (copies) {
                copy(connection, TABLES.get(t), rows.get(t), frozen);
            } else {
                insert(connection, TABLES.get(t), rows.get(t));
            }
        }
    }

    /** A base table as this writer's route names it, and the columns {@link #rows} gives in its rows. */
    record Target(String table, List<String> columns) {
    }

    /** The base tables, routed, in the order of {@link #rows}. */
    List<Target> targets() {
        return TABLES.stream().map(table -> new Target(route.apply(table.name()), table.columns())).toList();
    }

    /** A {@code COPY} into {@code target} that takes its rows a batch at a time, on the connection. */
    PostgresCopy.Stream open(Connection connection, Target target, boolean frozen) throws SQLException {
        return postgresCopy.open(connection, target.table(), target.columns(), frozen);
    }

    /** Every row of the contacts, one list per base table in the order of {@link #targets()}. */
    List<List<Object[]>> rows(List<ContactRows> contacts) {
        List<Object[]> contactRows = new ArrayList<>(contacts.size());
        List<Object[]> visits = new ArrayList<>(contacts.size() * 3);
        List<Object[]> ownerPeriods = new ArrayList<>(contacts.size());
        List<Object[]> opportunities = new ArrayList<>();
        for (ContactRows c : contacts) {
            contactRows.add(new Object[] {c.contactId, c.version, c.name, c.email, c.company, c.source, c.campaign,
                    c.owner, c.ownerSince, c.stage.name(), c.stageEnteredAt, epochMicros(c.stageEnteredAt),
                    c.capturedAt, c.capturedMonth, c.lastOccurredAt, c.entered[1], c.entered[2],
                    c.entered[3], c.entered[4], c.entered[5], c.reached[1], c.reached[2],
                    c.reached[3], c.reached[4], c.reached[5]});
            for (ContactRows.Visit v : c.visits) {
                long enteredMicros = epochMicros(v.enteredAt);
                visits.add(new Object[] {c.contactId, v.enteredSeq, v.stage.name(), v.enteredAt, enteredMicros,
                        v.leftAt, v.leftAt == null ? null : epochMicros(v.leftAt) - enteredMicros,
                        c.capturedAt, c.capturedMonth, c.source, c.campaign});
            }
            for (ContactRows.OwnerPeriod p : c.ownerPeriods) {
                ownerPeriods.add(new Object[] {c.contactId, p.fromSeq, p.owner, p.validFrom, p.validTo});
            }
            for (ContactRows.Opportunity o : c.opportunities) {
                opportunities.add(new Object[] {c.contactId, o.opportunityId, o.upsell, o.openedAt,
                        o.closedAt, o.outcome, c.capturedAt, c.capturedMonth, c.source, c.campaign});
            }
        }
        return List.of(contactRows, visits, ownerPeriods, opportunities);
    }

    private void copy(Connection connection, Table table, List<Object[]> rows, boolean frozen) throws SQLException {
        if (!rows.isEmpty()) {
            postgresCopy.copyIn(connection, route.apply(table.name()), table.columns(), rows, frozen);
        }
    }

    private void insert(Connection connection, Table table, List<Object[]> rows) throws SQLException {
        int full = rows.size() / rowsPerStatement * rowsPerStatement;
        if (full > 0) {
            try (PreparedStatement statement = connection.prepareStatement(table.insert(rowsPerStatement))) {
                int pending = 0;
                for (int first = 0; first < full; first += rowsPerStatement) {
                    table.bind(statement, rows.subList(first, first + rowsPerStatement));
                    statement.addBatch();
                    pending += rowsPerStatement;
                    if (pending >= batchRows) {
                        statement.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    statement.executeBatch();
                }
            }
        }
        if (full < rows.size()) {
            List<Object[]> rest = rows.subList(full, rows.size());
            try (PreparedStatement statement = connection.prepareStatement(table.insert(rest.size()))) {
                table.bind(statement, rest);
                statement.executeUpdate();
            }
        }
    }

    private record Table(String name, List<String> columns, int[] nullTypes) {

        String insert(int rows) {
            String tuple = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
            return "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES "
                    + String.join(", ", Collections.nCopies(rows, tuple));
        }

        void bind(PreparedStatement statement, List<Object[]> rows) throws SQLException {
            int parameter = 1;
            for (Object[] row : rows) {
                for (int column = 0; column < row.length; column++, parameter++) {
                    Object value = row[column];
                    // rows hold instants, which a COPY writes as UTC; H2's driver is given the OffsetDateTime it maps
                    if (value == null) {
                        statement.setNull(parameter, nullTypes[column]);
                    } else {
                        statement.setObject(parameter, value instanceof Instant instant ? toDb(instant) : value);
                    }
                }
            }
        }
    }
}
