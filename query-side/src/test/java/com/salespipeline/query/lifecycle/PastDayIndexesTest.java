package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * What a past asOf reads of its day and of its 32-day period (what changed, the visits that ended) comes from
 * indexes that lead with the time and hold the columns read (V13), in both generations and on both databases, as
 * the visits of a source and campaign at any asOf come from one that leads with that pair (V14); and
 * the contacts a past day changed are named as constants (texts, compared with a UUID column), which both
 * databases count right and H2 still finds by its primary key.
 */
class PastDayIndexesTest {

    @Test
    void theTimesOfAPastDayAreReadFromIndexesThatHoldWhatIsReadOnH2() {
        assertCoveringIndexes(new ReadModelDatabase());
    }

    @Test
    void theTimesOfAPastDayAreReadFromIndexesThatHoldWhatIsReadOnPostgres() {
        assertCoveringIndexes(Postgres.readModel());
    }

    @Test
    void theCompletedVisitsOfASourceAndCampaignAreReadFromThePartialIndexOnPostgres() {
        ReadModelDatabase db = Postgres.readModel();
        Cohort cohort = Cohort.visitsOfSourceAndCampaign(new ReportFilter(null, null, Instant.parse("2024-05-02T10:00:00Z"),
                LeadSource.AD, "c", null));
        String plan = db.jdbc.execute((ConnectionCallback<String>) connection -> {
            try (Statement statement = connection.createStatement()) {
                // on a near-empty table the planner would scan it; the question is whether the index can serve at all,
                // which it cannot unless the query implies the index's condition
                statement.execute("SET enable_seqscan TO off");
                statement.execute("SET enable_bitmapscan TO off");
                try {
                    return String.join("\n", new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection, true))
                            .queryForList("EXPLAIN SELECT v.stage, v.duration_micros FROM " + cohort.from() + " WHERE "
                                    + cohort.where() + " AND " + Cohort.VISIT_COMPLETED_BY_AS_OF, cohort.params(), String.class));
                } finally {
                    statement.execute("RESET enable_seqscan");
                    statement.execute("RESET enable_bitmapscan");
                }
            }
        });
        assertThat(plan).contains("read_stage_visit_source_campaign").doesNotContain("Seq Scan");
        assertThat(db.jdbc.queryForList("SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'read_%stage_visit_source_campaign'",
                String.class)).hasSize(2).allMatch(definition -> definition.endsWith("WHERE (duration_micros IS NOT NULL)"));
    }

    @Test
    void theContactsOfAPastDayAreCountedByNameOnH2() {
        ReadModelDatabase db = new ReadModelDatabase();
        assertNamedContactsCounted(db);
        assertThat(String.join("\n", db.named.queryForList("EXPLAIN SELECT COUNT(*) FROM read_contact c WHERE c.contact_id IN ("
                + Cohort.constants(List.of(UUID.randomUUID(), UUID.randomUUID())) + ")", new TreeMap<>(), String.class)))
                .as("found by the primary key, not by a scan").contains("PRIMARY_KEY").doesNotContain("tableScan");
    }

    @Test
    void theContactsOfAPastDayAreCountedByNameOnPostgres() {
        ReadModelDatabase db = Postgres.readModel();
        db.clear();
        try {
            assertNamedContactsCounted(db);
        } finally {
            db.clear();
        }
    }

    private static void assertNamedContactsCounted(ReadModelDatabase db) {
        List<UUID> contacts = new ArrayList<>();
        Instant at = Instant.parse("2024-05-02T10:00:00Z");
        for (int i = 0; i < 5; i++) {
            UUID contact = UUID.randomUUID();
            contacts.add(contact);
            db.applyAll(ContactHistory.capture(contact, at.plusSeconds(i), LeadSource.AD, "c", "o").events());
        }
        ReportFilter all = ReportFilter.asOf(at.plusSeconds(60));
        assertThat(count(db, all.at(all.asOf(), contacts.subList(1, 4)))).isEqualTo(3);
        assertThat(count(db, all.at(all.asOf(), List.of(contacts.get(0), UUID.randomUUID())))).isEqualTo(1);
        assertThat(count(db, all.at(all.asOf(), List.of()))).as("no contact named, none counted").isZero();
        Cohort cohort = Cohort.contacts(all.at(all.asOf(), contacts));
        assertThat(cohort.params().getParameterNames()).containsExactly("asOf");
        assertThat(cohort.where()).contains("'" + contacts.get(4) + "'");
    }

    private static long count(ReadModelDatabase db, ReportFilter filter) {
        Cohort cohort = Cohort.contacts(filter);
        return db.named.queryForObject("SELECT COUNT(*) FROM " + cohort.from() + " WHERE " + cohort.where(),
                cohort.params(), Long.class);
    }

    private static void assertCoveringIndexes(ReadModelDatabase db) {
        for (String suffix : List.of("", "_b")) {
            assertThat(indexColumns(db, "read_stage_visit" + suffix))
                    .contains(List.of("left_at", "stage", "duration_micros"), List.of("entered_at", "contact_id"));
            assertThat(indexColumns(db, "read_owner_period" + suffix)).contains(List.of("valid_from", "contact_id"));
            assertThat(indexColumns(db, "read_opportunity" + suffix)).contains(List.of("closed_at", "contact_id"));
            assertThat(indexColumns(db, "read_stage_visit" + suffix))
                    .contains(List.of("source", "campaign", "stage", "duration_micros", "left_at"));
            assertThat(indexColumns(db, "read_stage_visit" + suffix)).as("the single-column indexes they replace")
                    .doesNotContain(List.of("left_at"), List.of("entered_at"));
        }
    }

    /** The columns of each index of {@code table}, in their order. */
    private static List<List<String>> indexColumns(ReadModelDatabase db, String table) {
        return db.jdbc.execute((ConnectionCallback<List<List<String>>>) connection -> {
            DatabaseMetaData meta = connection.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            TreeMap<String, TreeMap<Short, String>> indexes = new TreeMap<>();
            try (ResultSet rs = meta.getIndexInfo(null, null, name, false, false)) {
                while (rs.next()) {
                    if (rs.getString("COLUMN_NAME") != null) {
                        indexes.computeIfAbsent(rs.getString("INDEX_NAME"), n -> new TreeMap<>())
                                .put(rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            assertThat(indexes).as("indexes of " + table).isNotEmpty();
            return indexes.values().stream().map(columns -> List.copyOf(columns.values())).toList();
        });
    }
}
