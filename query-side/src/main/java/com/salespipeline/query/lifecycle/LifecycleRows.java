package com.salespipeline.query.lifecycle;

import static com.salespipeline.query.lifecycle.Timestamps.epochMicros;
import static com.salespipeline.query.lifecycle.Timestamps.toDb;

import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements that keep the lifecycle rows. Callers run them in one transaction per event, after
 * {@link #claim} or {@link #claimStageChange} has won the event's sequence number for the contact.
 */
class LifecycleRows {

    /*
     * A contact's open visit, owner period or opportunity is found by its key, never through the index on the
     * end time: once H2 has statistics (its automatic ANALYZE), it takes "left_at IS NULL" through
     * read_stage_visit_left, as selective as an equality on that index's first column, over the primary key's
     * contact_id prefix, and walks every open visit of every contact for each stage change. COALESCE keeps the
     * end-time condition off that index.
     */
    static final String END_OPEN_VISIT = "UPDATE read_stage_visit SET left_at = ?, duration_micros = ? - entered_micros"
            + " WHERE contact_id = ? AND " + Cohort.notIndexed("left_at") + " IS NULL";
    static final String END_OPEN_OWNER_PERIOD = "UPDATE read_owner_period SET valid_to = ?"
            + " WHERE contact_id = ? AND " + Cohort.notIndexed("valid_to") + " IS NULL";
    static final String CLOSE_OPEN_OPPORTUNITY = "UPDATE read_opportunity SET closed_at = ?, outcome = ?"
            + " WHERE contact_id = ? AND opportunity_id = ? AND " + Cohort.notIndexed("closed_at") + " IS NULL";

    private final JdbcTemplate jdbc;
    private final BooleanSupplier postgres;

    LifecycleRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.postgres = DatabaseProduct.isPostgresOnceAsked(jdbc);
    }

    /** The last applied sequence of the contact, or null if its capture has not been applied. */
    Long version(UUID contactId) {
        List<Long> versions = jdbc.queryForList("SELECT version FROM read_contact WHERE contact_id = ?", Long.class,
                contactId);
        return versions.isEmpty() ? null : versions.get(0);
    }

    Stage stage(UUID contactId) {
        return Stage.valueOf(jdbc.queryForObject("SELECT stage FROM read_contact WHERE contact_id = ?", String.class,
                contactId));
    }

    /**
     * Inserts the captured contact with its first visit and owner period unless the contact is known already;
     * answers the known contact's version, or null when it was inserted. On PostgreSQL one statement instead of
     * four round trips (see {@link #moveStage}).
     */
    Long insertContactUnlessKnown(LeadCaptured event, long sequence, Instant at) {
        if (!isPostgres()) {
            Long version = version(event.contactId());
            if (version == null) {
                insertContact(event, sequence, at);
            }
            return version;
        }
        String sql = "WITH known AS (SELECT version FROM read_contact WHERE contact_id = ?),"
                + " inserted AS (" + INSERT_CONTACT + " ON CONFLICT (contact_id) DO NOTHING"
                + " RETURNING contact_id, captured_at, captured_month, source, campaign, owner),"
                + " visit AS (INSERT INTO read_stage_visit (contact_id, entered_seq, stage, entered_at, entered_micros,"
                + " captured_at, captured_month, source, campaign)"
                + " SELECT contact_id, ?, ?, ?, ?, captured_at, captured_month, source, campaign FROM inserted),"
                + " period AS (INSERT INTO read_owner_period (contact_id, from_seq, owner, valid_from)"
                + " SELECT contact_id, ?, owner, ? FROM inserted)"
                + " SELECT (SELECT version FROM known) AS version, (SELECT COUNT(*) FROM inserted) AS inserted_rows";
        List<Object> args = new ArrayList<>();
        args.add(event.contactId());
        args.addAll(insertContactArgs(event, sequence, at));
        args.addAll(List.of(sequence, Stage.LEAD.name(), toDb(at), epochMicros(at), sequence, toDb(at)));
        return jdbc.queryForObject(sql, (rs, n) -> {
            Long version = rs.getObject("version") == null ? null : rs.getLong("version");
            if (version == null && rs.getLong("inserted_rows") != 1) {
                // written by another transaction after this statement's snapshot: never by the events of one contact
                throw new IllegalStateException("contact " + event.contactId() + " appeared while event " + sequence
                        + " captured it");
            }
            return version;
        }, args.toArray());
    }

    private static final String INSERT_CONTACT = """
            INSERT INTO read_contact (contact_id, version, name, email, company, source, campaign, owner,
                owner_since, stage, stage_entered_at, stage_entered_micros, captured_at, captured_month,
                last_occurred_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static List<Object> insertContactArgs(LeadCaptured event, long sequence, Instant at) {
        return java.util.Arrays.asList(event.contactId(), sequence, event.name(), event.email(), event.company(),
                event.source().name(), event.campaign(), event.owner(), toDb(at), Stage.LEAD.name(), toDb(at),
                epochMicros(at), toDb(at), Timestamps.MONTH.format(at), toDb(at));
    }

    private void insertContact(LeadCaptured event, long sequence, Instant at) {
        jdbc.update(INSERT_CONTACT, insertContactArgs(event, sequence, at).toArray());
        insertVisit(event.contactId(), sequence, Stage.LEAD, at);
        insertOwnerPeriod(event.contactId(), sequence, event.owner(), at);
    }

    /**
     * Takes the event's sequence for the contact: true if it is newer than the last one applied (and is
     * now the last), false if it was applied before.
     */
    boolean claim(UUID contactId, long sequence, Instant at) {
        return jdbc.update("UPDATE read_contact SET version = ?, last_occurred_at = ? WHERE contact_id = ? AND version < ?",
                sequence, toDb(at), contactId, sequence) == 1;
    }

    /**
     * {@link #claim} for an event that moves the contact from {@code from} to {@code to}: also moves the
     * stage and remembers the first entry into {@code to} and the first reach of every stage up to it.
     * Claims nothing when the contact is not in {@code from}.
     */
    boolean claimStageChange(UUID contactId, long sequence, Stage from, Stage to, Instant at) {
        return jdbc.update(claimStageChangeSql(to), claimStageChangeArgs(contactId, sequence, from, to, at).toArray())
                == 1;
    }

    private static String claimStageChangeSql(Stage to) {
        StringBuilder sql = new StringBuilder(
                "UPDATE read_contact SET version = ?, last_occurred_at = ?, stage = ?, stage_entered_at = ?,"
                        + " stage_entered_micros = ?");
        if (to.isFunnelStage() && to != Stage.LEAD) {
            sql.append(", ").append(Stages.enteredColumn(to)).append(" = COALESCE(")
                    .append(Stages.enteredColumn(to)).append(", ?)");
            for (Stage reached : Stages.FUNNEL.subList(1, to.funnelOrder() + 1)) {
                String column = Stages.reachedColumn(reached);
                sql.append(", ").append(column).append(" = COALESCE(").append(column).append(", ?)");
            }
        }
        return sql.append(" WHERE contact_id = ? AND version < ? AND stage = ?").toString();
    }

    private static List<Object> claimStageChangeArgs(UUID contactId, long sequence, Stage from, Stage to, Instant at) {
        List<Object> args = new ArrayList<>(List.of(sequence, toDb(at), to.name(), toDb(at), epochMicros(at)));
        if (to.isFunnelStage() && to != Stage.LEAD) {
            for (int i = 0; i <= to.funnelOrder(); i++) {
                args.add(toDb(at));
            }
        }
        args.addAll(List.of(contactId, sequence, from.name()));
        return args;
    }

    /**
     * What {@link #moveStage} found and did.
     *
     * @param before  the contact as it stood before the event, null when it is unknown
     * @param claimed whether the event was claimed and the contact moved
     */
    record StageMove(ReportAggregates.ContactState before, boolean claimed) {
    }

    /**
     * Reads the contact's state ({@link ReportAggregates#state}), {@link #claimStageChange claims} the event and,
     * when claimed, {@link #moveVisit moves its visit}. On PostgreSQL that is one statement, a round trip where it
     * took four: the projection's statements are most of its time there, each waiting for the server.
     */
    StageMove moveStage(UUID contactId, long sequence, Stage from, Stage to, Instant at, ReportAggregates aggregates) {
        if (!isPostgres()) {
            ReportAggregates.ContactState before = aggregates.state(contactId);
            boolean claimed = claimStageChange(contactId, sequence, from, to, at);
            if (claimed) {
                moveVisit(contactId, sequence, to, at);
            }
            return new StageMove(before, claimed);
        }
        // the sub-statements of a WITH all see the rows as they were before the statement: "before" is the state
        // that the claim overwrites, and the visit ended is the one open before the new one is inserted
        String sql = moveStageSql(to);
        List<StageMove> moves = jdbc.query(sql, (rs, n) -> {
            boolean claimed = rs.getLong("claimed_rows") == 1;
            if (claimed) {
                expectOne(rs.getInt("ended_rows"), "open stage visit", contactId, sequence);
            }
            return new StageMove(ReportAggregates.contactState(rs), claimed);
        }, moveStageArgs(contactId, sequence, from, to, at).toArray());
        return moves.isEmpty() ? new StageMove(null, false) : moves.get(0);
    }

    /** {@link #moveStage}'s statement on PostgreSQL. */
    private static String moveStageSql(Stage to) {
        return "WITH before AS (SELECT " + ReportAggregates.STATE_COLUMNS
                + " FROM read_contact WHERE contact_id = ?),"
                + " claimed AS (" + claimStageChangeSql(to)
                + " RETURNING contact_id, captured_at, captured_month, source, campaign),"
                + " ended AS (UPDATE read_stage_visit SET left_at = ?, duration_micros = ? - entered_micros"
                + " WHERE contact_id IN (SELECT contact_id FROM claimed) AND " + Cohort.notIndexed("left_at")
                + " IS NULL RETURNING 1),"
                + " opened AS (INSERT INTO read_stage_visit (contact_id, entered_seq, stage, entered_at, entered_micros,"
                + " captured_at, captured_month, source, campaign)"
                + " SELECT contact_id, ?, ?, ?, ?, captured_at, captured_month, source, campaign FROM claimed RETURNING 1)"
                + " SELECT before.*, (SELECT COUNT(*) FROM claimed) AS claimed_rows,"
                + " (SELECT COUNT(*) FROM ended) AS ended_rows FROM before";
    }

    private static List<Object> moveStageArgs(UUID contactId, long sequence, Stage from, Stage to, Instant at) {
        List<Object> args = new ArrayList<>();
        args.add(contactId);
        args.addAll(claimStageChangeArgs(contactId, sequence, from, to, at));
        args.addAll(List.of(toDb(at), epochMicros(at), sequence, to.name(), toDb(at), epochMicros(at)));
        return args;
    }

    private boolean isPostgres() {
        return postgres.getAsBoolean();
    }

    /** Ends the contact's open visit at {@code at} and opens one of {@code to}. */
    void moveVisit(UUID contactId, long sequence, Stage to, Instant at) {
        int closed = jdbc.update(END_OPEN_VISIT, toDb(at), epochMicros(at), contactId);
        expectOne(closed, "open stage visit", contactId, sequence);
        insertVisit(contactId, sequence, to, at);
    }

    void changeOwner(UUID contactId, long sequence, String owner, Instant at) {
        jdbc.update("UPDATE read_contact SET owner = ?, owner_since = ? WHERE contact_id = ?", owner, toDb(at),
                contactId);
        int closed = jdbc.update(END_OPEN_OWNER_PERIOD, toDb(at), contactId);
        expectOne(closed, "open owner period", contactId, sequence);
        insertOwnerPeriod(contactId, sequence, owner, at);
    }

    void openOpportunity(UUID contactId, UUID opportunityId, boolean upsell, Instant at) {
        jdbc.update("""
                INSERT INTO read_opportunity (contact_id, opportunity_id, upsell, opened_at, captured_at, captured_month,
                    source, campaign)
                SELECT contact_id, ?, ?, ?, captured_at, captured_month, source, campaign
                FROM read_contact WHERE contact_id = ?""", opportunityId, upsell, toDb(at), contactId);
    }

    void closeOpportunity(UUID contactId, long sequence, UUID opportunityId, boolean won, Instant at) {
        int closed = jdbc.update(CLOSE_OPEN_OPPORTUNITY, toDb(at), won ? "WON" : "LOST", contactId, opportunityId);
        expectOne(closed, "open opportunity " + opportunityId, contactId, sequence);
    }

    private void insertVisit(UUID contactId, long sequence, Stage stage, Instant at) {
        jdbc.update("""
                INSERT INTO read_stage_visit (contact_id, entered_seq, stage, entered_at, entered_micros, captured_at,
                    captured_month, source, campaign)
                SELECT contact_id, ?, ?, ?, ?, captured_at, captured_month, source, campaign
                FROM read_contact WHERE contact_id = ?""", sequence, stage.name(), toDb(at), epochMicros(at), contactId);
    }

    private void insertOwnerPeriod(UUID contactId, long sequence, String owner, Instant at) {
        jdbc.update("INSERT INTO read_owner_period (contact_id, from_seq, owner, valid_from) VALUES (?, ?, ?, ?)",
                contactId, sequence, owner, toDb(at));
    }

    private static void expectOne(int rows, String what, UUID contactId, long sequence) {
        if (rows != 1) {
            throw new IllegalStateException("contact " + contactId + ", event " + sequence + ": expected one "
                    + what + ", found " + rows);
        }
    }
}
