package com.salespipeline.query.contact;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.ReportPlanner;
import com.salespipeline.query.lifecycle.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/** Contacts as they stand now, one by id or a filtered page. */
@Service
public class ContactQueries {

    private static final String COLUMNS = "contact_id, stage, source, campaign, owner, captured_at, stage_entered_at,"
            + " version, name, email, company";

    private static final RowMapper<ContactView> VIEW = ContactQueries::view;

    private final NamedParameterJdbcTemplate jdbc;
    private final ReportPlanner planner;

    public ContactQueries(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, new ReportPlanner(jdbc, new JdbcTransactionManager(jdbc.getJdbcTemplate().getDataSource())));
    }

    @Autowired
    public ContactQueries(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc,
                          ReportPlanner planner) {
        this.jdbc = jdbc;
        this.planner = planner;
    }

    public Optional<ContactView> find(UUID contactId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM read_contact WHERE contact_id = :id",
                new MapSqlParameterSource("id", contactId), VIEW).stream().findFirst();
    }

    /**
     * Contacts now in {@code stage}, of {@code owner}, {@code source} and {@code campaign} (each ignored when
     * null). The total comes from the cohort counts when they are built: counting half a million contacts
     * of one stage on every page took longer than the page.
     */
    public ContactPage list(Stage stage, String owner, LeadSource source, String campaign, int page, int size) {
        MapSqlParameterSource params = new MapSqlParameterSource();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
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
            long total = planner.contactsNow(stage, source, campaign, owner).orElseGet(
                    () -> jdbc.queryForObject("SELECT COUNT(*) FROM read_contact" + where, params, Long.class));
            var items = jdbc.query("SELECT " + COLUMNS + " FROM read_contact" + where
                    + order + " OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY", params, VIEW);
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
