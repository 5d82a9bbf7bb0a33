package com.salespipeline.query;

import com.salespipeline.events.LeadSource;
import com.salespipeline.query.conversion.ConversionQueries;
import com.salespipeline.query.conversion.GroupBy;
import com.salespipeline.query.duration.StageDurationQueries;
import com.salespipeline.query.funnel.FunnelMode;
import com.salespipeline.query.funnel.FunnelQueries;
import com.salespipeline.query.lifecycle.ContactHistory;
import com.salespipeline.query.lifecycle.ReadModelDatabase;
import com.salespipeline.query.lifecycle.ReportFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: a rough measure of projection throughput and report latency on H2 for a given number of
 * contacts. {@code mvn -pl query-side -am test -Dtest=ScaleProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -DargLine="-Dprobe.contacts=100000 -Xmx4g"}; results in target/surefire-reports/*ScaleProbe-output.txt.
 */
@EnabledIfSystemProperty(named = "probe.contacts", matches = "\\d+")
class ScaleProbe {
    @Test
    void probe() {
        int n = Integer.getInteger("probe.contacts", 100_000);
        ReadModelDatabase db = new ReadModelDatabase();
        Random r = new Random(1);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        long t0 = System.nanoTime();
        long events = 0;
        for (int i = 0; i < n; i++) {
            Instant t = base.plus(Duration.ofMinutes(r.nextInt(525_600)));
            ContactHistory h = ContactHistory.capture(t, LeadSource.values()[r.nextInt(10)], "c" + r.nextInt(20), "o" + r.nextInt(50));
            int depth = r.nextInt(6);
            if (depth > 0) h.mql(t = t.plusSeconds(r.nextInt(100_000)));
            if (depth > 1) h.qualify(t = t.plusSeconds(r.nextInt(100_000)));
            if (depth > 2) h.convert(t = t.plusSeconds(r.nextInt(100_000)));
            if (depth > 3) { if (r.nextBoolean()) h.win(t = t.plusSeconds(r.nextInt(100_000))); else h.lose(t = t.plusSeconds(r.nextInt(100_000))); }
            db.applyAll(h.events());
            events += h.events().size();
        }
        System.out.printf("projected %d contacts, %d events in %d ms%n", n, events, (System.nanoTime() - t0) / 1_000_000);
        Instant asOf = Instant.parse("2025-06-01T00:00:00Z");
        String cohort = "FROM read_stage_visit v WHERE v.captured_at <= TIMESTAMP WITH TIME ZONE '2025-06-01 00:00:00Z' AND v.stage IN ('LEAD','MQL','PROSPECT','OPPORTUNITY','CUSTOMER','ADVOCATE') AND ";
        for (int round = 0; round < 2; round++) {
            time("funnel", () -> new FunnelQueries(db.named).funnel(ReportFilter.asOf(asOf), FunnelMode.CUMULATIVE));
            time("funnel owner", () -> new FunnelQueries(db.named).funnel(new ReportFilter(null, null, asOf, null, null, "o7"), FunnelMode.STRICT));
            time("conversion", () -> new ConversionQueries(db.named).conversionRates(ReportFilter.asOf(asOf), null));
            time("conversion by owner", () -> new ConversionQueries(db.named).conversionRates(ReportFilter.asOf(asOf), GroupBy.OWNER));
            time("durations", () -> new StageDurationQueries(db.named, db.transactions).stageDurations(ReportFilter.asOf(asOf)));
            time("durations 1 month", () -> new StageDurationQueries(db.named, db.transactions).stageDurations(new ReportFilter(Instant.parse("2024-03-01T00:00:00Z"), Instant.parse("2024-04-01T00:00:00Z"), asOf, null, null, null)));
        }
    }

    private static void time(String what, Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        System.out.printf("%-20s %6d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
    }
}
