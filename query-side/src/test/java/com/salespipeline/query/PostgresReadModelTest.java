package com.salespipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Stage;
import com.salespipeline.query.contact.ContactPage;
import com.salespipeline.query.contact.ContactQueries;
import com.salespipeline.query.contact.ContactView;
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
}
