package com.salespipeline.query.contact;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.funnel.FunnelQueries;
import com.salespipeline.query.lifecycle.Cohort;
import com.salespipeline.query.lifecycle.DatabaseProduct;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Contacts, one by id or a filtered page: as they stand now, or as they stood at a past asOf (their stage, when they
 * entered it and their owner then, and only the contacts captured by then).
 */
@Service
public class ContactQueries {

    private static final String COLUMNS = "contact_id, stage, source, campaign, owner, captured_at, stage_entered_at,"
            + " version, name, email, company";

    /** {@link #COLUMNS} of contact row {@code c} as they stood at asOf; the version stays the current one. */
    private static final String COLUMNS_AS_OF = "c.contact_id, " + Cohort.STAGE_AS_OF + " AS stage, c.source,"
            + " c.campaign, " + Cohort.OWNER_AS_OF + " AS owner, c.captured_at, " + Cohort.STAGE_ENTERED_AT_AS_OF
            + " AS stage_entered_at, c.version, c.name, c.email, c.company";

    /** {@link #COLUMNS} of contact row {@code c}. */
    private static final String COLUMNS_OF_C = "c." + COLUMNS.replace(", ", ", c.");

    private static final RowMapper<ContactView> VIEW = ContactQueries::view;

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportPlanner planner;
    private final FunnelQueries funnel;
    private final BooleanSupplier postgres;

    public ContactQueries(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, new ReportPlanner(jdbc, new JdbcTransactionManager(jdbc.getJdbcTemplate().getDataSource())));
    }

    @Autowired
    public ContactQueries(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc,
                          ReportPlanner planner) {
        this.jdbc = jdbc;
        this.planner = planner;
        this.funnel = new FunnelQueries(jdbc, planner);
        this.postgres = DatabaseProduct.isPostgresOnceAsked(jdbc.getJdbcTemplate());
    }

    public Optional<ContactView> find(UUID contactId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM read_contact WHERE contact_id = :id",
                new MapSqlParameterSource("id", contactId), VIEW).stream().findFirst();
    }

    /** The contact as it stood at {@code asOf}; empty if it was not captured by then. */
    public Optional<ContactView> find(UUID contactId, Instant asOf) {
        Cohort cohort = Cohort.contacts(new ReportFilter(null, null, asOf, null, null, null, List.of(contactId)));
        return jdbc.query("SELECT " + COLUMNS_AS_OF + " FROM " + cohort.from() + " WHERE " + cohort.where(),
                cohort.params(), VIEW).stream().findFirst();
    }

    /**
     * Contacts now in {@code stage}, of {@code owner}, {@code source} and {@code campaign} (each ignored when
     * null). The total comes from the cohort counts when they are built: counting half a million contacts
     * of one stage on every page took longer than the page.
     */
    public ContactPage list(Stage stage, String owner, LeadSource source, String campaign, int page, int size) {
        return list(stage, owner, source, campaign, null, null, page, size);
    }

    /**
     * Contacts now in {@code stage}, of {@code owner}, {@code source} and {@code campaign}, captured in
     * {@code [from, to)} (each ignored when null).
     */
    public ContactPage list(Stage stage, String owner, LeadSource source, String campaign, Instant from, Instant to,
                            int page, int size) {
        if (stage != null && owner == null && source == null && campaign == null && postgres.getAsBoolean()) {
            return listInStage(stage, from, to, page, size);
        }
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        capturedIn(where, params, "captured_at", from, to);
        boolean wholeTime = from == null && to == null;
        // the order starts with one column the page is filtered on, which holds one value here: then H2 reads
        // the page in the order of that column's index (column, captured_at, contact_id) instead of sorting
        // every matching contact; the owner first, as the narrowest
        String leading = "";
        if (stage != null) {
            where.append(" AND stage = :stage");
            params.addValue("stage", stage.name());
            leading = "stage, ";
        }
        if (source != null) {
            where.append(" AND source = :source");
            params.addValue("source", source.name());
            leading = "source, ";
        }
        if (campaign != null) {
            where.append(" AND campaign = :campaign");
            params.addValue("campaign", campaign);
            leading = "campaign, ";
        }
        if (owner != null) {
            where.append(" AND owner = :owner");
            params.addValue("owner", owner);
            leading = "owner, ";
        }
        String order = " ORDER BY " + leading + "captured_at, contact_id";
        params.addValue("offset", (long) page * size).addValue("size", size);
        return planner.inSnapshot(() -> {
            OptionalLong counted = wholeTime ? planner.contactsNow(stage, source, campaign, owner) : OptionalLong.empty();
            long total = counted.orElseGet(
                    () -> jdbc.queryForObject("SELECT COUNT(*) FROM read_contact" + where, params, Long.class));
            var items = jdbc.query("SELECT " + COLUMNS + " FROM read_contact" + where
                    + order + " OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY", params, VIEW);
            return new ContactPage(items, page, size, total);
        });
    }

    /**
     * On PostgreSQL, the contacts now in {@code stage} captured in {@code [from, to)}, through their open visits: no
     * index of read_contact holds the stage, so that a stage change can be a heap-only update (migration V16), and
     * the index of the open visits gives them in order of capture.
     */
    private ContactPage listInStage(Stage stage, Instant from, Instant to, int page, int size) {
        MapSqlParameterSource params = new MapSqlParameterSource("stage", stage.name())
                .addValue("offset", (long) page * size).addValue("size", size);
        // "left_at IS NULL" as the index's own condition, so that the planner can prove the index applies
        StringBuilder where = new StringBuilder(" WHERE v.left_at IS NULL AND v.stage = :stage");
        capturedIn(where, params, "v.captured_at", from, to);
        return planner.inSnapshot(() -> {
            OptionalLong counted = from == null && to == null ? planner.contactsNow(stage, null, null, null)
                    : OptionalLong.empty();
            long total = counted.orElseGet(
                    () -> jdbc.queryForObject("SELECT COUNT(*) FROM read_stage_visit v" + where, params, Long.class));
            var items = jdbc.query("SELECT " + COLUMNS_OF_C + " FROM read_stage_visit v JOIN read_contact c"
                    + " ON c.contact_id = v.contact_id" + where + " ORDER BY v.captured_at, v.contact_id"
                    + " OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY", params, VIEW);
            return new ContactPage(items, page, size, total);
        });
    }

    /** Narrows {@code where} to times of capture in {@code [from, to)} (either may be null). */
    private static void capturedIn(StringBuilder where, MapSqlParameterSource params, String column, Instant from,
                                   Instant to) {
        if (from != null) {
            where.append(" AND ").append(column).append(" >= :from");
            params.addValue("from", Timestamps.toDb(Timestamps.ceilMicros(from)));
        }
        if (to != null) {
            where.append(" AND ").append(column).append(" < :to");
            params.addValue("to", Timestamps.toDb(Timestamps.ceilMicros(to)));
        }
    }

    /**
     * The contacts of {@code filter}'s cohort (captured in its range and by its asOf, of its source and campaign, and
     * owned by its owner at asOf) that stood in {@code stage} at asOf (any stage when null), as they stood then,
     * in order of capture: the contacts that the funnel's {@code current} count of that stage counts for that filter,
     * which gives the total.
     */
    public ContactPage listAsOf(Stage stage, ReportFilter filter, int page, int size) {
        Cohort cohort = Cohort.contacts(filter);
        MapSqlParameterSource params = new MapSqlParameterSource(cohort.params().getValues())
                .addValue("offset", (long) page * size).addValue("size", size);
        String where = cohort.where();
        if (stage != null) {
            where += " AND " + Cohort.STAGE_AS_OF + " = :stage";
            params.addValue("stage", stage.name());
        }
        String rows = " FROM " + cohort.from() + " WHERE " + where;
        return planner.inSnapshot(() -> {
            // the funnel's own count, from the report aggregates where they answer: counting every contact's stage
            // at a past asOf is a pass over all of them
            Map<Stage, Long> current = funnel.currentCounts(filter);
            long total = stage == null ? current.values().stream().mapToLong(Long::longValue).sum()
                    : current.getOrDefault(stage, 0L);
            var items = jdbc.query("SELECT " + COLUMNS_AS_OF + rows + " ORDER BY c.captured_at, c.contact_id"
                    + " OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY", params, VIEW);
            return new ContactPage(items, page, size, total);
        });
    }

    private static ContactView view(ResultSet rs, int row) throws SQLException {
        return new ContactView(rs.getObject("contact_id", UUID.class), Stage.valueOf(rs.getString("stage")),
                LeadSource.valueOf(rs.getString("source")), rs.getString("campaign"), rs.getString("owner"),
                Timestamps.fromDb(rs, "captured_at"), Timestamps.fromDb(rs, "stage_entered_at"),
                rs.getLong("version"), rs.getString("name"), rs.getString("email"), rs.getString("company"));
    }
}
