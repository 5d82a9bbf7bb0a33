package com.salespipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.contact.ContactPage;
import com.salespipeline.query.contact.ContactQueries;
import com.salespipeline.query.contact.ContactView;
import com.salespipeline.query.lifecycle.ApplyAgainWithSavepoint;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.EventRefused;
import com.salespipeline.query.lifecycle.Postgres;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.SamplePipeline;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The PostgreSQL migration and SQL: the same properties as on H2 (fewer tries), and the contact queries. */
class PostgresReadModelTest {

    @Property(tries = 15)
    void everyReportEqualsTheNaiveReferenceOnPostgres(@ForAll("pipelines") List<ReportPropertiesTest.ContactSpec> specs,
                                                      @ForAll long deliverySeed, @ForAll long questionSeed) {
        ReportPropertiesTest.check(Postgres.readModel(), specs, deliverySeed, questionSeed);
    }

    @Provide
    Arbitrary<List<ReportPropertiesTest.ContactSpec>> pipelines() {
        return ReportPropertiesTest.pipelineArbitrary();
    }

    @Test
    void contactsByIdAndInPages() {
        ReadModelDatabase db = Postgres.readModel();
        db.clear();
        SamplePipeline sample = new SamplePipeline();
        sample.feed(db);
        ContactQueries queries = new ContactQueries(db.named);

        ContactView a = queries.find(sample.a.contactId()).orElseThrow();
        assertThat(a.stage()).isEqualTo(Stage.ADVOCATE);
        assertThat(a.capturedAt()).isEqualTo(SamplePipeline.T0);
        assertThat(a.stageEnteredAt()).isEqualTo(SamplePipeline.h(20));
        assertThat(a.version()).isEqualTo(6);

        ContactPage page = queries.list(null, null, null, null, 1, 2);
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.items()).extracting(ContactView::contactId).containsExactly(sample.d.contactId(),
                sample.c.contactId());
        assertThat(queries.list(Stage.LEAD, "sam", LeadSource.AD, null, 0, 50).items())
                .extracting(ContactView::contactId).containsExactly(sample.d.contactId());
        assertThat(queries.list(null, null, null, null, SamplePipeline.h(2), SamplePipeline.h(6), 0, 50).items())
                .extracting(ContactView::contactId).containsExactly(sample.b.contactId(), sample.d.contactId());

        // as they stood at 8h: A and B in OPPORTUNITY, D a LEAD and sam's since 7h, C not yet captured
        ReportFilter eightHours = new ReportFilter(null, null, SamplePipeline.h(8), null, null, null);
        ContactPage then = queries.listAsOf(null, eightHours, 0, 50);
        assertThat(then.total()).isEqualTo(3);
        assertThat(then.items()).extracting(ContactView::contactId, ContactView::stage, ContactView::owner)
                .containsExactly(tuple(sample.a.contactId(), Stage.OPPORTUNITY, "sam"),
                        tuple(sample.b.contactId(), Stage.OPPORTUNITY, "kim"),
                        tuple(sample.d.contactId(), Stage.LEAD, "sam"));
        assertThat(queries.listAsOf(Stage.LEAD, new ReportFilter(null, null, SamplePipeline.h(6), null, null, "sam"),
                0, 50).total()).isZero();
        assertThat(queries.find(sample.a.contactId(), SamplePipeline.h(3)).orElseThrow().stageEnteredAt())
                .isEqualTo(SamplePipeline.h(3));
        assertThat(queries.find(sample.c.contactId(), SamplePipeline.h(8))).isEmpty();
    }

    /**
     * No index of read_contact holds the stage, so that a stage change can be a heap-only update (V16); the contacts
     * of a stage are paged through the index of the open visits, not by reading every contact.
     */
    @Test
    void theContactsOfAStageArePagedThroughTheOpenVisitsNotAnIndexOfTheContacts() {
        ReadModelDatabase db = Postgres.readModel();
        db.clear();
        new SamplePipeline().feed(db);

        List<String> indexedStage = db.jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE tablename IN"
                + " ('read_contact', 'read_contact_b') AND indexdef LIKE '%(%stage%)%'", String.class);
        assertThat(indexedStage).isEmpty();
        db.jdbc.execute("SET enable_seqscan = off");
        try {
            String plan = String.join("\n", db.jdbc.queryForList("EXPLAIN SELECT c.contact_id FROM read_stage_visit v"
                    + " JOIN read_contact c ON c.contact_id = v.contact_id WHERE v.left_at IS NULL AND v.stage = 'LEAD'"
                    + " ORDER BY v.captured_at, v.contact_id LIMIT 50", String.class));
            assertThat(plan).contains("read_stage_visit_open").doesNotContain("Sort");
        } finally {
            db.jdbc.execute("RESET enable_seqscan");
        }
    }

    /**
     * On PostgreSQL a stage change is one statement (LifecycleRows.moveStage): an event whose open visit is missing
     * must still fail there and leave nothing behind, without a savepoint (the batch rolled back) and with one.
     */
    @Test
    void aStageChangeWhoseOpenVisitIsMissingFailsAndLeavesNothingBehindOnPostgres() {
        ReadModelDatabase db = Postgres.readModel();
        db.clear();
        ContactHistory ada = ContactHistory.capture(SamplePipeline.T0, LeadSource.WEB_FORM, null, null)
                .mql(SamplePipeline.h(1)).qualify(SamplePipeline.h(2));
        ContactHistory bob = ContactHistory.capture(SamplePipeline.T0, LeadSource.AD, null, null)
                .mql(SamplePipeline.h(1));
        db.apply(ada.events().get(0));
        db.apply(bob.events().get(0));
        db.jdbc.update("DELETE FROM read_stage_visit WHERE contact_id = ?", ada.contactId());
        List<String> before = db.dump();
        List<com.salespipeline.query.lifecycle.Envelope> batch = List.of(bob.events().get(1), ada.events().get(1));

        assertThatThrownBy(() -> db.applyAsStreamingBatch(batch, 1_000))
                .isInstanceOf(ApplyAgainWithSavepoint.class).rootCause()
                .hasMessageContaining("expected one open stage visit, found 0");
        assertThat(db.dump()).isEqualTo(before);

        assertThat(db.applyAsStreamingBatch(batch, 1_000)).containsExactly(ada.events().get(1));
        ContactView bobNow = new ContactQueries(db.named).find(bob.contactId()).orElseThrow();
        assertThat(bobNow.stage()).isEqualTo(Stage.MQL);
        ContactView adaNow = new ContactQueries(db.named).find(ada.contactId()).orElseThrow();
        assertThat(adaNow.stage()).isEqualTo(Stage.LEAD);
        assertThat(adaNow.version()).isZero();
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM read_stage_visit WHERE contact_id = ?", Long.class,
                bob.contactId())).isEqualTo(2);
    }

    /**
     * A stage change from a stage the contact is not in, an event of a contact never captured and a second capture
     * are refused before they write anything, on PostgreSQL too: parked at once, without reading the batch again.
     */
    @Test
    void eventsThatDoNotFitAreRefusedAndChangeNothingOnPostgres() {
        ReadModelDatabase db = Postgres.readModel();
        db.clear();
        ContactHistory ada = ContactHistory.capture(SamplePipeline.T0, LeadSource.WEB_FORM, null, null)
                .mql(SamplePipeline.h(1)).qualify(SamplePipeline.h(2));
        db.apply(ada.events().get(0));
        List<String> before = db.dump();
        List<com.salespipeline.query.lifecycle.Envelope> misfits = List.of(ada.events().get(2),
                ContactHistory.capture(SamplePipeline.T0, LeadSource.AD, null, null).mql(SamplePipeline.h(1))
                        .events().get(1),
                new com.salespipeline.query.lifecycle.Envelope(ada.events().get(0).event(), 5));

        assertThat(db.applyAsStreamingBatch(misfits, 2_000)).containsExactlyElementsOf(misfits);
        assertThat(db.dump()).isEqualTo(before);
        for (com.salespipeline.query.lifecycle.Envelope misfit : misfits) {
            assertThatThrownBy(() -> db.apply(misfit)).isInstanceOf(EventRefused.class)
                    .hasMessageMatching(".*(in LEAD|never applied|captured again).*");
        }
        // the capture delivered again changes nothing and is no refusal
        db.apply(ada.events().get(0));
        assertThat(db.dump()).isEqualTo(before);
    }

    /** The live projection's count rows keep room for their updates; a replay's packed load leaves that setting. */
    @Test
    void countRowsKeepRoomForTheirUpdatesAfterTheMigrationAndAfterAReplaysRebuild() {
        ReadModelDatabase db = Postgres.readModel();
        assertThat(fillFactors(db)).containsExactly("read_cohort_count fillfactor=70", "read_cohort_count_b fillfactor=70");

        com.salespipeline.query.replay.ReadModelGenerations generations =
                new com.salespipeline.query.replay.ReadModelGenerations(db.jdbc);
        org.springframework.jdbc.core.JdbcTemplate routed = new org.springframework.jdbc.core.JdbcTemplate(
                new com.salespipeline.query.replay.GenerationRoutingDataSource(db.dataSource, generations));
        new org.springframework.transaction.support.TransactionTemplate(db.transactions).executeWithoutResult(tx ->
                generations.on(generations.inactive(), () -> {
                    try (com.salespipeline.query.lifecycle.FoldedRebuild rebuild = ReadModelDatabase.foldedRebuild(
                            routed, 2)) {
                        rebuild.finish();
                    }
                    return null;
                }));

        assertThat(fillFactors(db)).containsExactly("read_cohort_count fillfactor=70", "read_cohort_count_b fillfactor=70");
    }

    private static List<String> fillFactors(ReadModelDatabase db) {
        return db.jdbc.queryForList("SELECT relname || ' ' || array_to_string(reloptions, ',') FROM pg_class"
                + " WHERE relname IN ('read_cohort_count', 'read_cohort_count_b') ORDER BY relname", String.class);
    }
}
