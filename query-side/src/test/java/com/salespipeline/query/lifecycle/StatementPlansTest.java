package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements that must read few rows find them by the right index. Those that end a contact's open visit, owner
 * period or opportunity must find it by the contact's key.
 * Through the index on the end time they would walk every open row of every contact for each event: that made
 * the standalone projection spend most of its time in one UPDATE once H2 had analysed the tables. The owner
 * period and the opportunity take their primary key today as well; their cases keep it so should an index on
 * valid_to or a different closed_at index come. Stage durations as of now of a pair of keys read that pair's
 * contacts through the index that leads with both, and their visits by primary key, rather than the contacts or
 * visits of one of the keys; so do those of a source and campaign with an owner as of an earlier time. Those of a
 * source and campaign alone come from the visits' own index on the pair. The few contacts that a past day's scan
 * names look up their own owner periods, rather than reading every contact of the owner.
 */
class StatementPlansTest {

    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");

    private final ReadModelDatabase db = new ReadModelDatabase();

    @BeforeEach
    void aReadModelWithStatistics() {
        List<Envelope> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            Instant start = T0.plus(Duration.ofMinutes(17L * i));
            ContactHistory history = ContactHistory.capture(start, LeadSource.values()[i % 10], "c" + (i % 5),
                    "owner" + (i % 7)).mql(start.plusSeconds(60 + i)).assign("owner" + (i % 3), start.plusSeconds(90 + i));
            if (i % 2 == 0) {
                history.qualify(start.plusSeconds(120 + i)).convert(start.plusSeconds(180 + i));
                if (i % 4 == 0) {
                    history.win(start.plusSeconds(240 + i));
                }
            }
            events.addAll(history.events());
        }
        db.applyAll(events);
        // what H2's automatic ANALYZE does once enough rows have changed: the end times now look selective
        db.jdbc.execute("ANALYZE");
    }

    @Test
    void endingTheOpenVisitUsesThePrimaryKey() {
        assertThat(plan(LifecycleRows.END_OPEN_VISIT, Timestamp.from(T0), 1L, UUID.randomUUID()))
                .contains("PRIMARY_KEY").doesNotContain("READ_STAGE_VISIT_LEFT");
    }

    @Test
    void endingTheOpenOwnerPeriodUsesThePrimaryKey() {
        assertThat(plan(LifecycleRows.END_OPEN_OWNER_PERIOD, Timestamp.from(T0), UUID.randomUUID()))
                .contains("PRIMARY_KEY");
    }

    @Test
    void closingAnOpportunityUsesThePrimaryKey() {
        assertThat(plan(LifecycleRows.CLOSE_OPEN_OPPORTUNITY, Timestamp.from(T0), "WON", UUID.randomUUID(),
                UUID.randomUUID())).contains("PRIMARY_KEY").doesNotContain("READ_OPPORTUNITY_CLOSED");
    }

    @Test
    void theVisitsOfAPairOfKeysAsOfNowAreReadThroughTheirContacts() {
        Instant now = T0.plus(Duration.ofDays(30));
        assertThat(cohortPlan(new ReportFilter(null, null, now, null, "c1", "owner1")))
                .contains("PUBLIC.READ_CONTACT_CAMPAIGN_OWNER: ", "PRIMARY_KEY", "CONTACT_ID = C.CONTACT_ID");
        assertThat(cohortPlan(new ReportFilter(null, null, now, LeadSource.AD, null, "owner1")))
                .contains("PUBLIC.READ_CONTACT_SOURCE_OWNER: ");
        assertThat(cohortPlan(new ReportFilter(null, null, now, LeadSource.AD, "c1", null)))
                .contains("PUBLIC.READ_CONTACT_SOURCE_CAMPAIGN: ");
        assertThat(cohortPlan(new ReportFilter(T0, T0.plus(Duration.ofDays(1)), now, null, null, "owner1")))
                .contains("PUBLIC.READ_CONTACT_OWNER: ", "AND OWNER = ?");
    }

    @Test
    void theVisitsOfASourceAndCampaignAsOfAnEarlierTimeAreReadThroughTheirContacts() {
        Instant asOf = T0.plus(Duration.ofDays(2));
        for (String owner : Arrays.asList(null, "owner1")) {
            ReportFilter filter = new ReportFilter(null, null, asOf, LeadSource.AD, "c1", owner);
            String plan = completedVisitsPlan(Cohort.contactsOfSourceAndCampaign(filter));
            assertThat(plan).as("%s", filter).containsPattern(
                    "FROM \"PUBLIC\".\"READ_CONTACT\" \"C\"\\s+/\\* PUBLIC.READ_CONTACT_SOURCE_CAMPAIGN: ")
                    .containsPattern("READ_STAGE_VISIT\" \"V\"\\s+/\\* PUBLIC.PRIMARY_KEY_\\w+: CONTACT_ID = C.CONTACT_ID");
            if (owner != null) {
                // the owner as of asOf, one lookup of (owner, contact) for each contact of the pair
                assertThat(plan).containsPattern("READ_OWNER_PERIOD_OWNER: OWNER = \\?\\d+\\s+AND CONTACT_ID = C.CONTACT_ID");
            }
        }
        // what they replace: the visits of every contact, read without an index on the pair
        assertThat(completedVisitsPlan(Cohort.visits(new ReportFilter(null, null, asOf, LeadSource.AD, "c1", null))))
                .doesNotContain("READ_CONTACT_SOURCE_CAMPAIGN");
    }

    @Test
    void theVisitsOfASourceAndCampaignAloneAreReadFromTheirIndexOnThePair() {
        for (Instant asOf : List.of(T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(30)))) {
            ReportFilter filter = new ReportFilter(null, null, asOf, LeadSource.AD, "c1", null);
            String plan = completedVisitsPlan(Cohort.visitsOfSourceAndCampaign(filter));
            assertThat(plan).as("%s", filter)
                    .containsPattern("PUBLIC.READ_STAGE_VISIT_SOURCE_CAMPAIGN: SOURCE = \\?\\d+\\s+AND CAMPAIGN = \\?\\d+")
                    .doesNotContain("READ_CONTACT");
        }
    }

    @Test
    void theCompletedVisitsOfOneStageOfASourceAndCampaignAreARangeOfTheirIndex() {
        for (Instant asOf : List.of(T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(30)))) {
            ReportFilter filter = new ReportFilter(null, null, asOf, LeadSource.AD, "c1", null);
            String plan = completedVisitsPlan(Cohort.visitsOfSourceAndCampaign(filter).ofStage(Stage.MQL));
            // the open visits (duration null) come first in the stage's part of the index: the range skips them
            assertThat(plan).as("%s", filter).containsPattern("PUBLIC.READ_STAGE_VISIT_SOURCE_CAMPAIGN: SOURCE = \\?\\d+"
                    + "\\s+AND CAMPAIGN = \\?\\d+\\s+AND STAGE = \\?\\d+\\s+AND DURATION_MICROS >= \\?\\d+");
        }
    }

    @Test
    void theContactsNamedByAPastDaysScanLookUpTheirOwnOwnerPeriod() {
        Instant asOf = T0.plus(Duration.ofDays(2));
        List<UUID> changed = db.named.getJdbcTemplate().queryForList(
                "SELECT contact_id FROM read_contact ORDER BY contact_id FETCH FIRST 50 ROWS ONLY", UUID.class);
        for (ReportFilter filter : List.of(new ReportFilter(null, null, asOf, LeadSource.AD, "c1", "owner1"),
                new ReportFilter(null, null, asOf, null, null, "owner1"))) {
            Cohort cohort = Cohort.contacts(filter.at(asOf, changed));
            String plan = String.join("\n", db.named.queryForList("EXPLAIN SELECT " + Cohort.STAGE_AS_OF + " FROM "
                    + cohort.from() + " WHERE " + cohort.where(), cohort.params(), String.class));
            String contacts = plan.substring(plan.indexOf("FROM \"PUBLIC\".\"READ_CONTACT\""));
            assertThat(contacts).as("%s", filter).containsPattern("PRIMARY_KEY_\\w+: CONTACT_ID IN\\('")
                    .contains("OWNER = ?", "AND CONTACT_ID = C.CONTACT_ID").doesNotContain("SELECT DISTINCT");
        }
    }

    /** H2's plan for the completed visits of {@link Cohort#currentContacts}. */
    private String cohortPlan(ReportFilter filter) {
        return completedVisitsPlan(Cohort.currentContacts(filter, true));
    }

    /** H2's plan for the completed visits of a cohort of visits {@code v}. */
    private String completedVisitsPlan(Cohort cohort) {
        return String.join("\n", db.named.queryForList("EXPLAIN SELECT v.stage, v.duration_micros FROM "
                + cohort.from() + " WHERE " + cohort.where() + " AND " + Cohort.VISIT_COMPLETED_BY_AS_OF,
                cohort.params(), String.class));
    }

    /** The index line of H2's plan, such as {@code PUBLIC.PRIMARY_KEY_D: CONTACT_ID = ?3}. */
    private String plan(String statement, Object... args) {
        String plan = String.join("\n", db.jdbc.queryForList("EXPLAIN " + statement, String.class, args));
        return plan.lines().filter(line -> line.trim().startsWith("/*")).findFirst().orElse(plan);
    }
}
