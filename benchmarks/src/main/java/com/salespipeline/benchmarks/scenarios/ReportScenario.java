package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Latencies;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.ApiClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every report of api.md and the contact list, one request at a time, without and with {@code asOf} (90 days back,
 * so that the as-of evaluation has real history to cut).
 * Three reports are asked again with filters, for the generated data's most common source, campaign and owner
 * ({@link #FILTER}): a funnel naming all three, conversion rates per owner of one source and campaign, and stage
 * durations of one source and campaign. Users filter, and such reports may take other paths than unfiltered ones
 * (the finest aggregate rows, or a scan where no aggregate holds the combination).
 */
public final class ReportScenario {

    /** The generated data's most common source, campaign and owner (HistoryGenerator: weighted, Zipf-like). */
    static final String SOURCE_AND_CAMPAIGN = "source=WEB_FORM&campaign=campaign-1";
    static final String FILTER = SOURCE_AND_CAMPAIGN + "&owner=rep-1";

    /** Report name to path; names are the keys in results.json. */
    public static final Map<String, String> REPORTS = reports();

    private ReportScenario() {
    }

    private static Map<String, String> reports() {
        Map<String, String> reports = new LinkedHashMap<>();
        reports.put("funnelCumulative", "/api/reports/funnel?mode=cumulative");
        reports.put("funnelStrict", "/api/reports/funnel?mode=strict");
        reports.put("conversion", "/api/reports/conversion-rates");
        reports.put("conversionBySource", "/api/reports/conversion-rates?groupBy=source");
        reports.put("conversionByCampaign", "/api/reports/conversion-rates?groupBy=campaign");
        reports.put("conversionByOwner", "/api/reports/conversion-rates?groupBy=owner");
        reports.put("conversionByCohortMonth", "/api/reports/conversion-rates?groupBy=cohortMonth");
        reports.put("stageDurations", "/api/reports/stage-durations");
        reports.put("contactsList", "/api/contacts?stage=LEAD&page=0&size=50");
        reports.put("funnelOfOneCombination", "/api/reports/funnel?mode=cumulative&" + FILTER);
        reports.put("conversionByOwnerOfOneSourceAndCampaign", "/api/reports/conversion-rates?groupBy=owner&"
                + SOURCE_AND_CAMPAIGN);
        reports.put("stageDurationsOfOneSourceAndCampaign", "/api/reports/stage-durations?" + SOURCE_AND_CAMPAIGN);
        return Collections.unmodifiableMap(reports);
    }

    /**
     * One measured variant of a report.
     *
     * @param slowestSample the position of the slowest sample, 1 for the first after the warm-up requests
     * @param meanwhile     what else took the app's time while the samples were taken
     */
    public record Measured(String report, boolean asOf, Latencies latencies, int slowestSample,
                           WhileSampled meanwhile) {
    }

    /** A variant's samples before they are named. */
    private record Sampled(Latencies latencies, int slowestSample, WhileSampled meanwhile) {
    }

    /** One request of the scenario: a report, with or without {@code asOf}, and its path. */
    private record Variant(String report, boolean asOf, String path) {
    }

    /** Every variant in the order they are measured, {@code asOf} 90 days before now. */
    private static List<Variant> variants() {
        String asOf = Instant.now().minus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Variant> variants = new ArrayList<>();
        for (Map.Entry<String, String> report : REPORTS.entrySet()) {
            for (boolean withAsOf : new boolean[]{false, true}) {
                String path = report.getValue() + (withAsOf ? (report.getValue().contains("?") ? "&" : "?")
                        + "asOf=" + asOf : "");
                variants.add(new Variant(report.getKey(), withAsOf, path));
            }
        }
        return variants;
    }

    /**
     * The warm-up's load: every variant in turn, one request at a time, round and round. Each call goes on until
     * its time is up, and the first one at least until every variant was asked once, so that no variant is
     * measured on code that only its own samples compile.
     */
    public static JitWarmUp.Load warmUp(ApiClient api, Progress progress) {
        List<Variant> variants = variants();
        long[] requests = {0};
        return seconds -> {
            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline || requests[0] < variants.size()) {
                expectOk(api, variants.get((int) (requests[0] % variants.size())).path());
                requests[0]++;
                long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
                progress.update(Math.min(seconds, elapsed), seconds, "s, " + requests[0] + " requests");
            }
        };
    }

    /**
     * @param samples  measured requests per variant (fewer when {@code budgetSeconds} runs out, at least 5)
     * @param warmups  unmeasured requests before them
     * @param appPid   the app's process, whose compilers are watched while the samples are taken
     */
    public static List<Measured> run(ApiClient api, long appPid, int samples, int warmups, int budgetSeconds,
                                     Progress progress) {
        List<Variant> variants = variants();
        List<Measured> measured = new ArrayList<>();
        for (Variant variant : variants) {
            Sampled sampled = measure(api, appPid, variant.path(), samples, warmups, budgetSeconds);
            measured.add(new Measured(variant.report(), variant.asOf(), sampled.latencies(), sampled.slowestSample(),
                    sampled.meanwhile()));
            progress.update(measured.size(), variants.size(), "report variants, last " + variant.report()
                    + (variant.asOf() ? " asOf" : ""));
        }
        return measured;
    }

    private static Sampled measure(ApiClient api, long appPid, String path, int samples, int warmups,
                                   int budgetSeconds) {
        for (int i = 0; i < warmups; i++) {
            expectOk(api, path);
        }
        Latencies latencies = new Latencies();
        long slowestNanos = -1;
        int slowestSample = 0;
        WhileSampled.Watch watch = WhileSampled.watch(api, appPid);
        long budgetEnds = System.nanoTime() + budgetSeconds * 1_000_000_000L;
        for (int i = 0; i < samples && (i < 5 || System.nanoTime() < budgetEnds); i++) {
            long sent = System.nanoTime();
            expectOk(api, path);
            long took = System.nanoTime() - sent;
            latencies.recordNanos(took);
            if (took > slowestNanos) {
                slowestNanos = took;
                slowestSample = i + 1;
            }
        }
        return new Sampled(latencies, slowestSample, watch.end());
    }

    private static void expectOk(ApiClient api, String path) {
        ApiClient.Reply reply = api.get(path, ApiClient.ANALYST);
        if (reply.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + reply.status() + ": " + reply.body());
        }
    }
}
