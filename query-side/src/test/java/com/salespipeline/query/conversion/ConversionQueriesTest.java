package com.salespipeline.query.conversion;

import static com.salespipeline.query.lifecycle.SamplePipeline.LATER;
import static com.salespipeline.query.lifecycle.SamplePipeline.h;
import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import com.salespipeline.query.lifecycle.SamplePipeline;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversionQueriesTest {

    private final ReadModelDatabase db = new ReadModelDatabase();
    private final ConversionQueries queries = new ConversionQueries(db.named);

    @BeforeEach
    void feed() {
        new SamplePipeline().feed(db);
    }

    @Test
    void withoutGroupingOneGroupNamedAll() {
        ConversionReport report = queries.conversionRates(ReportFilter.asOf(LATER), null);

        assertThat(report.groups()).hasSize(1);
        ConversionReport.Group all = report.groups().get(0);
        assertThat(all.group()).isEqualTo("all");
        assertThat(ratios(all.transitions())).containsExactly("LEAD>MQL 3/4", "MQL>PROSPECT 2/3",
                "PROSPECT>OPPORTUNITY 2/2", "OPPORTUNITY>CUSTOMER 1/2", "CUSTOMER>ADVOCATE 1/1");
        assertThat(all.transitions().get(0).rate()).isEqualTo(0.75);
        assertThat(all.leadToCustomer()).isEqualTo(Ratio.of("LEAD", "CUSTOMER", 1, 4));
        assertThat(all.winRate()).isEqualTo(Ratio.of(null, null, 1, 2));
        assertThat(all.winRate().rate()).isEqualTo(0.5);
    }

    @Test
    void ratesWithoutDenominatorAreNull() {
        ConversionReport report = queries.conversionRates(ReportFilter.asOf(h(8)), null);

        ConversionReport.Group all = report.groups().get(0);
        assertThat(ratios(all.transitions())).containsExactly("LEAD>MQL 2/3", "MQL>PROSPECT 2/2",
                "PROSPECT>OPPORTUNITY 2/2", "OPPORTUNITY>CUSTOMER 0/2", "CUSTOMER>ADVOCATE 0/0");
        assertThat(all.transitions().get(4).rate()).isNull();
        assertThat(all.winRate()).isEqualTo(new Ratio(null, null, 0, 0, null));
    }

    @Test
    void anEmptyCohortStillHasTheGroupAll() {
        ConversionReport report = queries.conversionRates(ReportFilter.asOf(h(0).minusSeconds(1)), null);

        assertThat(report.groups()).extracting(ConversionReport.Group::group).containsExactly("all");
        assertThat(report.groups().get(0).leadToCustomer().rate()).isNull();
    }

    @Test
    void groupedBySourceCampaignOwnerAndCohortMonth() {
        ReportFilter filter = ReportFilter.asOf(LATER);
        assertThat(names(queries.conversionRates(filter, GroupBy.SOURCE))).containsExactly("AD", "REFERRAL", "WEB_FORM");
        assertThat(names(queries.conversionRates(filter, GroupBy.CAMPAIGN))).containsExactly("spring", null);
        assertThat(names(queries.conversionRates(filter, GroupBy.OWNER))).containsExactly("kim", "sam", null);
        assertThat(names(queries.conversionRates(filter, GroupBy.COHORT_MONTH))).containsExactly("2024-01", "2024-02");

        ConversionReport byOwner = queries.conversionRates(filter, GroupBy.OWNER);
        ConversionReport.Group sam = byOwner.groups().get(1);
        assertThat(sam.transitions().get(0)).isEqualTo(Ratio.of("LEAD", "MQL", 1, 2));
        assertThat(sam.winRate()).isEqualTo(Ratio.of(null, null, 1, 1));
        assertThat(byOwner.groups().get(0).winRate()).isEqualTo(Ratio.of(null, null, 0, 1));
        assertThat(byOwner.groups().get(2).winRate().rate()).isNull();

        ConversionReport.Group january = queries.conversionRates(filter, GroupBy.COHORT_MONTH).groups().get(0);
        assertThat(january.leadToCustomer()).isEqualTo(Ratio.of("LEAD", "CUSTOMER", 1, 3));
    }

    @Test
    void groupingByOwnerUsesTheOwnerAsOfAsOf() {
        ConversionReport report = queries.conversionRates(ReportFilter.asOf(h(6)), GroupBy.OWNER);

        assertThat(names(report)).containsExactly("kim", "sam", null);
        assertThat(report.groups().get(1).transitions().get(0).denominator()).isEqualTo(1);
        assertThat(report.groups().get(2).transitions().get(0).denominator()).isEqualTo(1);
    }

    private static List<String> names(ConversionReport report) {
        return report.groups().stream().map(ConversionReport.Group::group).toList();
    }

    private static List<String> ratios(List<Ratio> ratios) {
        return ratios.stream().map(r -> r.from() + ">" + r.to() + " " + r.numerator() + "/" + r.denominator()).toList();
    }
}
