package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.events.LeadSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report aggregates follow every kind of event; whatever the projection left, a rebuild from the rows
 * gives the same tables ({@link #assertRebuildAgrees()} closes every test).
 */
class ReportAggregatesTest {

    private static final Instant T0 = Instant.parse("2024-03-01T09:00:00Z");
    private static final long DAY = ReportAggregates.day(T0);
    private static final String ALL_KEYS = "source_key = '*' AND campaign_key = '*' AND owner_key = '*'";

    private final ReadModelDatabase db = new ReadModelDatabase();

    private static Instant at(long hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    @Test
    void aggregatesBuiltBeforeTheDurationsPerDayOfCaptureGetThemAloneAtStart() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.WEBINAR, "spring", null).mql(at(3)).qualify(at(30)).events());
        db.applyAll(ContactHistory.capture(at(50), LeadSource.AD, null, "sam").mql(at(52)).events());
        List<String> kept = db.aggregateDump();
        assertThat(db.jdbc.queryForObject("SELECT SUM(visits) FROM read_duration_captured", Long.class)).isEqualTo(3);
        // as the V8 migration leaves them: every other aggregate in place, none per day of capture
        db.jdbc.update("DELETE FROM read_duration_captured");
        db.jdbc.update("UPDATE read_cohort_count SET contacts = contacts + 100 WHERE span = 'A'");

        new ReportAggregates(db.jdbc).rebuildUnlessBuilt();

        db.jdbc.update("UPDATE read_cohort_count SET contacts = contacts - 100 WHERE span = 'A'");
        assertThat(db.aggregateDump()).isEqualTo(kept);
    }

    /** Two contacts, one of them reassigned, projected; their aggregates as the projection keeps them. */
    private List<String> twoContactsAndTheirAggregates() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.WEBINAR, "spring", null).mql(at(3)).qualify(at(30)).events());
        db.applyAll(ContactHistory.capture(at(50), LeadSource.AD, null, "sam").mql(at(52)).assign("kim", at(900))
                .events());
        return db.aggregateDump();
    }

    @Test
    void aRebuildCommittedAStatementAtATimeEndsWhereTheProjectionIs() {
        List<String> kept = twoContactsAndTheirAggregates();
        java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
        ReportAggregates aggregates = new ReportAggregates(db.jdbc,
                new org.springframework.transaction.support.TransactionTemplate(db.transactions) {
                    @Override
                    public <T> T execute(org.springframework.transaction.support.TransactionCallback<T> action) {
                        transactions.incrementAndGet();
                        return super.execute(action);
                    }
                });

        aggregates.rebuildFromRows();

        assertThat(transactions.get()).isGreaterThan(10);
        assertThat(aggregates.built()).isTrue();
        assertThat(db.aggregateDump()).isEqualTo(kept);
    }

    @Test
    void aggregatesBuiltBeforeTheChangesPerMonthOfCaptureGetThemAloneAtStart() {
        List<String> kept = twoContactsAndTheirAggregates();
        assertThat(db.jdbc.queryForList("SELECT DISTINCT captured_month FROM read_cohort_month_change", String.class))
                .containsExactly("2024-03");
        // as the V10 migration leaves them: every other aggregate in place, no changes per month of capture
        db.jdbc.update("DELETE FROM read_cohort_month_change");
        db.jdbc.update("UPDATE read_cohort_count SET contacts = contacts + 100 WHERE span = 'A'");

        new ReportAggregates(db.jdbc).rebuildUnlessBuilt();

        db.jdbc.update("UPDATE read_cohort_count SET contacts = contacts - 100 WHERE span = 'A'");
        assertThat(db.aggregateDump()).isEqualTo(kept);
    }

    @Test
    void aCaptureCountsTheContactUnderEveryKeySubset() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.WEBINAR, "spring", null).events());

        assertThat(keys()).containsExactlyInAnyOrder("* * *", "WEBINAR * *", "* =spring *", "* * -",
                "WEBINAR =spring *", "WEBINAR * -", "* =spring -", "WEBINAR =spring -");
        assertThat(db.jdbc.queryForList("SELECT span || ' ' || captured_day FROM read_cohort_count WHERE source_key = '*'"
                + " AND campaign_key = '*' AND owner_key = '*' ORDER BY span", String.class))
                .containsExactly("A 0", "C " + DAY, "D " + DAY);
        Map<String, Object> finest = row("WEBINAR", "=spring", "-");
        assertThat(finest).containsEntry("CONTACTS", 1L)
                .containsEntry("CURRENT_LEAD", 1L).containsEntry("REACHED_MQL", 0L);
        assertThat(new java.math.BigDecimal(finest.get("OPEN_LEAD_MICROS").toString()))
                .isEqualByComparingTo(String.valueOf(Timestamps.epochMicros(T0)));
        assertThat(watermark()).isEqualTo(T0);
        assertRebuildAgrees();
    }

    @Test
    void stageMovesCountReachedOnceAndEachCompletedVisitOnce() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.AD, null, "sam").qualify(at(1)).disqualify(at(2))
                .recycle(at(4)).mql(at(8)).qualify(at(9)).events());

        Map<String, Object> all = row("*", "*", "*");
        assertThat(all).containsEntry("CONTACTS", 1L).containsEntry("CURRENT_PROSPECT", 1L)
                .containsEntry("CURRENT_LEAD", 0L).containsEntry("CURRENT_DISQUALIFIED", 0L)
                .containsEntry("REACHED_MQL", 1L).containsEntry("REACHED_PROSPECT", 1L)
                .containsEntry("ENTERED_MQL", 1L).containsEntry("ENTERED_PROSPECT", 1L)
                .containsEntry("REACHED_OPPORTUNITY", 0L);
        // LEAD 1 h, PROSPECT 1 h, LEAD 4 h, MQL 1 h; DISQUALIFIED is no funnel stage
        assertThat(db.jdbc.queryForList("SELECT stage || ' ' || visits || ' ' || total_micros FROM read_duration_bucket"
                + " WHERE " + ALL_KEYS + " AND digits = 3 ORDER BY stage, bucket", String.class))
                .containsExactly("LEAD 1 3600000000", "LEAD 1 14400000000", "MQL 1 3600000000", "PROSPECT 1 3600000000");
        assertThat(db.jdbc.queryForList("SELECT bucket FROM read_duration_bucket WHERE " + ALL_KEYS
                + " AND digits = 2 AND stage = 'LEAD'",
                Integer.class)).containsExactlyInAnyOrder(DurationBuckets.coarse(DurationBuckets.of(14_400_000_000L)),
                DurationBuckets.coarse(DurationBuckets.of(3_600_000_000L)));
        assertRebuildAgrees();
    }

    @Test
    void completedVisitsCountUnderEveryKeyAndMoveWithTheOwner() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.AD, "spring", "sam").mql(at(1)).qualify(at(3))
                .assign("kim", at(4)).events());

        // LEAD 1 h and MQL 2 h, under all contacts, AD, spring and the owner, in fine and coarse buckets
        assertThat(db.jdbc.queryForList("SELECT DISTINCT source_key || ' ' || campaign_key || ' ' || owner_key"
                + " FROM read_duration_bucket", String.class)).containsExactlyInAnyOrder("* * *", "AD * *",
                "* =spring *", "* * =kim");
        assertThat(db.jdbc.queryForList("SELECT stage || ' ' || visits || ' ' || total_micros FROM read_duration_bucket"
                + " WHERE source_key = '*' AND campaign_key = '*' AND owner_key = '=kim' AND digits = 3"
                + " ORDER BY stage", String.class)).containsExactly("LEAD 1 3600000000", "MQL 1 7200000000");
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_duration_bucket", Integer.class)).isEqualTo(4 * 4);
        assertRebuildAgrees();
    }

    @Test
    void closedOpportunitiesAndUpsellsCountAsWonAndLost() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.EVENT, null, null)
                .qualify(at(1)).convert(at(2)).win(at(3)).openUpsell(at(4));
        ada.loseUpsell(ada.openOpportunities().get(0), at(5)).openUpsell(at(6));
        ada.winUpsell(ada.openOpportunities().get(0), at(7)).openUpsell(at(8));
        ContactHistory bob = ContactHistory.capture(T0, LeadSource.EVENT, null, null).qualify(at(1)).convert(at(2))
                .lose(at(3));
        db.applyAll(ada.events());
        db.applyAll(bob.events());

        assertThat(row("*", "*", "*")).containsEntry("WON", 2L).containsEntry("LOST", 2L)
                .containsEntry("CURRENT_CUSTOMER", 1L).containsEntry("CURRENT_LOST", 1L);
        assertThat(watermark()).isEqualTo(at(7));
        assertRebuildAgrees();
    }

    @Test
    void anOwnerChangeMovesTheContactWithEverythingItCounts() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.SOCIAL, null, "sam").qualify(at(1)).convert(at(2))
                .win(at(3)).assign("kim", at(4)).assign("kim", at(5)).assign(null, at(6)).assign("kim", at(7)).events());
        db.applyAll(ContactHistory.capture(T0, LeadSource.SOCIAL, null, "sam").events());

        assertThat(row("*", "*", "=kim")).containsEntry("CONTACTS", 1L).containsEntry("CURRENT_CUSTOMER", 1L)
                .containsEntry("REACHED_OPPORTUNITY", 1L).containsEntry("WON", 1L);
        assertThat(row("SOCIAL", "-", "=sam")).containsEntry("CONTACTS", 1L).containsEntry("CURRENT_LEAD", 1L)
                .containsEntry("WON", 0L);
        assertThat(keys()).as("the emptied keys of no owner are gone").noneMatch(key -> key.endsWith(" -"));
        assertThat(row("SOCIAL", "*", "*")).containsEntry("CONTACTS", 2L).containsEntry("WON", 1L);
        assertThat(watermark()).isEqualTo(at(7));
        assertRebuildAgrees();
    }

    @Test
    void eventsAppliedTwiceOrLateChangeNothing() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, "c", "sam").mql(at(1))
                .assign("kim", at(2)).qualify(at(3)).convert(at(4)).lose(at(5)).recycle(at(6));
        db.applyAll(ada.events());
        List<String> once = db.aggregateDump();

        db.applyAll(ada.events());
        db.apply(ada.events().get(2));
        db.apply(ada.events().get(0));

        assertThat(db.aggregateDump()).isEqualTo(once);
        assertRebuildAgrees();
    }

    @Test
    void aBackdatedCaptureCountsOnItsOwnDayAndKeepsTheWatermark() {
        db.applyAll(ContactHistory.capture(T0, LeadSource.WEB_FORM, null, null).mql(at(30)).events());
        Instant lastYear = T0.minus(Duration.ofDays(365));
        db.applyAll(ContactHistory.capture(lastYear, LeadSource.WEB_FORM, null, null).events());

        assertThat(db.jdbc.queryForList("SELECT captured_day FROM read_cohort_count WHERE span = 'D' AND source_key = '*'"
                + " AND campaign_key = '*' AND owner_key = '*' ORDER BY captured_day", Long.class))
                .containsExactly(ReportAggregates.day(lastYear), DAY);
        assertThat(watermark()).isEqualTo(at(30));
        assertRebuildAgrees();
    }

    @Test
    void manyContactsInterleavedAgreeWithARebuild() {
        new SamplePipeline().feed(db);
        List<ContactHistory> more = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ContactHistory history = ContactHistory.capture(at(i * 7), LeadSource.values()[i % 4], i % 3 == 0 ? null
                    : "c" + i % 2, i % 5 == 0 ? null : "o" + i % 3).mql(at(i * 7 + 1));
            if (i % 2 == 0) {
                history.qualify(at(i * 7 + 3)).assign("o9", at(i * 7 + 4)).convert(at(i * 7 + 50));
            }
            more.add(history);
        }
        db.applyAll(LifecycleProjectionTest.interleave(more, new java.util.Random(3)));
        assertThat(db.jdbc.queryForObject("SELECT SUM(contacts) FROM read_cohort_count WHERE span = 'D' AND source_key = '*'"
                + " AND campaign_key = '*' AND owner_key = '*'", Long.class)).isEqualTo(44L);
        assertRebuildAgrees();
    }

    @Test
    void eventsAppliedInOneTransactionCountAsTheyDoOneTransactionEach() {
        List<ContactHistory> contacts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // owners that come and go within the batch: rows that a contact arrives in and leaves again
            ContactHistory history = ContactHistory.capture(at(i), LeadSource.values()[i % 3], i % 2 == 0 ? "c" : null,
                    "o" + i % 4).mql(at(i + 1)).assign("o9", at(i + 2));
            if (i % 3 == 0) {
                history.qualify(at(i + 3)).assign("o" + i % 4, at(i + 4)).convert(at(i + 5)).win(at(i + 6));
            }
            contacts.add(history);
        }
        List<Envelope> events = LifecycleProjectionTest.interleave(contacts, new java.util.Random(7));
        ReadModelDatabase eachAlone = new ReadModelDatabase();
        eachAlone.applyAll(events);

        new org.springframework.transaction.support.TransactionTemplate(db.transactions).executeWithoutResult(tx -> {
            db.applyAll(events);
            assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_cohort_count", Long.class))
                    .as("nothing written before the commit").isZero();
        });

        assertThat(db.aggregateDump()).isEqualTo(eachAlone.aggregateDump());
        assertRebuildAgrees();
    }

    @Test
    void anEventThatFailsInTheBatchCountsNothingAndTheOthersCount() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, "c", "sam").mql(at(1)).qualify(at(2));
        ContactHistory bob = ContactHistory.capture(T0, LeadSource.AD, null, "kim").mql(at(3));
        ReadModelDatabase withoutTheFailure = new ReadModelDatabase();
        withoutTheFailure.applyAll(ada.events());
        withoutTheFailure.applyAll(bob.events());

        new org.springframework.transaction.support.TransactionTemplate(db.transactions).executeWithoutResult(tx -> {
            db.applyAll(ada.events());
            db.apply(bob.events().get(0));
            // ada's MQL again after she was qualified, as a new event: it does not fit, and its savepoint rolls back
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.apply(new Envelope(ada.events().get(1).event(), 9)))
                    .isInstanceOf(IllegalStateException.class);
            db.apply(bob.events().get(1));
        });

        assertThat(db.aggregateDump()).isEqualTo(withoutTheFailure.aggregateDump());
        assertRebuildAgrees();
    }

    @Test
    void aTransactionRolledBackWritesNoCounts() {
        ContactHistory ada = ContactHistory.capture(T0, LeadSource.WEB_FORM, "c", "sam").mql(at(1));
        db.applyAll(ada.events());

        new org.springframework.transaction.support.TransactionTemplate(db.transactions).executeWithoutResult(tx -> {
            db.applyAll(ContactHistory.capture(T0, LeadSource.AD, null, "kim").mql(at(3)).events());
            tx.setRollbackOnly();
        });
        db.applyAll(ContactHistory.capture(T0, LeadSource.SOCIAL, null, null).events());

        assertThat(db.jdbc.queryForObject("SELECT contacts FROM read_cohort_count WHERE span = 'A' AND " + ALL_KEYS,
                Long.class)).isEqualTo(2L);
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_cohort_count WHERE source_key = 'AD'", Long.class))
                .isZero();
        assertRebuildAgrees();
    }

    @Test
    void aRebuildOfEmptyRowsLeavesNothingToCountButMarksTheAggregatesBuilt() {
        ReportAggregates aggregates = new ReportAggregates(db.jdbc);
        assertThat(aggregates.built()).isFalse();
        aggregates.rebuildUnlessBuilt();
        assertThat(aggregates.built()).isTrue();
        assertThat(keys()).isEmpty();
        assertThat(watermark()).isNull();
    }

    private void assertRebuildAgrees() {
        List<String> maintained = db.aggregateDump();
        db.rebuildAggregates();
        assertThat(db.aggregateDump()).isEqualTo(maintained);
    }

    private List<String> keys() {
        return db.jdbc.queryForList("SELECT source_key || ' ' || campaign_key || ' ' || owner_key FROM read_cohort_count"
                + " WHERE span = 'D'", String.class);
    }

    private Map<String, Object> row(String source, String campaign, String owner) {
        return db.jdbc.queryForMap("SELECT * FROM read_cohort_count WHERE span = 'A' AND source_key = ?"
                + " AND campaign_key = ? AND owner_key = ?", source, campaign, owner);
    }

    private Instant watermark() {
        return db.jdbc.query("SELECT applied_until FROM read_report_watermark",
                rs -> rs.next() ? Timestamps.fromDb(rs, 1) : null);
    }
}
