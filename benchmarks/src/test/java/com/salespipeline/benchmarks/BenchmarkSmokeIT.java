package com.salespipeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.benchmarks.scenarios.ReportScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness at a tiny size on H2: seeding, both baselines, the packaged standalone app, every scenario,
 * results.json and the table. Asserts that each figure is there and sane (positive, percentiles in order, counts
 * as seeded), never how fast anything is; and that seeded rows look like the rows the app wrote for commands.
 */
class BenchmarkSmokeIT {

    static final int CONTACTS = 200;
    static final int LAG_SAMPLES = 5;
    static final int REPORT_SAMPLES = 3;
    static final int HISTORY_EVENTS = 1000;

    @TempDir
    Path dir;

    @Test
    void everyScenarioProducesSaneFiguresOnH2() throws Exception {
        Path out = dir.resolve("results.json");
        Options options = Options.parse("--contacts", String.valueOf(CONTACTS), "--db", "h2", "--seed", "3",
                "--app-jar", System.getProperty("standalone.jar", "../standalone/target/pipeline-standalone.jar"),
                "--out", out.toString(), "--work-dir", dir.resolve("work").toString(), "--keep-data",
                "--append-seconds", "1", "--warmup-seconds", "1", "--warmup-max-seconds", "6", "--lag-samples", String.valueOf(LAG_SAMPLES),
                "--report-samples", String.valueOf(REPORT_SAMPLES), "--report-warmups", "1",
                "--report-warmup-seconds", "1", "--report-warmup-max-seconds", "6",
                "--history-samples", "3", "--long-history-events", String.valueOf(HISTORY_EVENTS));
        Results results = Results.empty();
        new Benchmark(options, Progress.onStderr(), results).run();

        JsonNode written = new ObjectMapper().readTree(out.toFile());
        assertThat(written.toString()).as("results.json").isEqualTo(results.root().toString());

        long events = (long) results.number("seed.h2.events");
        assertThat(results.number("seed.h2.contacts")).isEqualTo(CONTACTS);
        // compacted offline before the baselines and the app: no larger than before, and still the seeded store
        assertThat(results.number("seed.h2.fileMb"))
                .isLessThanOrEqualTo(results.number("seed.h2.fileMbBeforeCompaction"));
        assertThat(results.number("seed.h2.compactionSeconds")).isNotNegative();
        assertThat(events).isGreaterThan(CONTACTS + HISTORY_EVENTS);
        assertThat(results.number("seed.h2.checkedContacts")).isPositive();

        assertWarmUp(results, "append.h2.warmUp.");
        assertWarmUp(results, "reports.h2.warmUp.");

        for (String clients : List.of("c1", "c16", "c64")) {
            String level = "append.h2." + clients + ".";
            assertThat(results.number(level + "commandsPerSec")).as(level).isPositive();
            assertThat(results.number(level + "baselineRowsPerSec")).as(level).isPositive();
            assertThat(results.number(level + "ratio")).as(level).isPositive();
            assertThat(results.number(level + "errors")).as(level + "errors, e.g. " + results.get(level + "errorSamples"))
                    .isZero();
            assertPercentilesInOrder(results, level, true);
            // each command's event alone (identifiers, JSON payload and metadata) is over half a kilobyte, and H2
            // stores it in pages of several kilobytes
            assertThat(results.number(level + "appKbWrittenPerCommand")).as(level).isGreaterThan(0.5);
            assertThat(results.get(level + "postgresKbWrittenPerCommand")).as("no PostgreSQL in an H2 run").isNull();
            assertPausesAddUp(results, level);
            assertThat(results.number(level + "readModelCaughtUpMs")).as(level + "read model caught up").isPositive();
        }

        String reading = "append.h2.c16Reading.";
        assertThat(results.number(reading + "commandsPerSec")).isPositive();
        assertThat(results.number(reading + "errors")).as(reading + "errors").isZero();
        assertThat(results.number(reading + "commandsPerSecVsWithoutReads")).isPositive();
        assertPercentilesInOrder(results, reading, true);
        assertThat(results.number(reading + "reads.samples")).as("funnel reads beside the commands").isPositive();
        assertThat(results.number(reading + "reads.failed")).isZero();
        // one reader waits at a time, and the projection keeps up with sixteen clients: no read gives up waiting
        assertThat(results.number(reading + "reads.behind")).isZero();
        assertPercentilesInOrder(results, reading + "reads.", false);

        assertThat(results.number("lag.h2.samples")).isEqualTo(LAG_SAMPLES);
        assertPercentilesInOrder(results, "lag.h2.", false);
        // the standalone app's reads wait for the read model: the first funnel read after a capture counts it
        assertThat(results.number("lag.h2.countedByFirstRead")).isEqualTo(LAG_SAMPLES);

        assertThat(results.number("replay.h2.events")).as("replayed = seeded").isEqualTo(events);
        assertThat(results.number("replay.h2.eventsPerSec")).isPositive();
        assertThat(results.number("replay.h2.baselineEventsPerSec")).isPositive();
        assertThat(results.number("replay.h2.ratio")).isPositive();

        double reportPauses = 0;
        for (String report : ReportScenario.REPORTS.keySet()) {
            assertThat(results.number("reports.h2." + report + ".samples")).as(report).isEqualTo(REPORT_SAMPLES);
            assertPercentilesInOrder(results, "reports.h2." + report + ".", false);
            reportPauses += assertMeanwhile(results, "reports.h2." + report + ".");
            assertThat(results.number("reports.h2." + report + ".asOf.samples")).as(report).isEqualTo(REPORT_SAMPLES);
            assertPercentilesInOrder(results, "reports.h2." + report + ".asOf.", false);
            reportPauses += assertMeanwhile(results, "reports.h2." + report + ".asOf.");
        }

        assertThat(results.number("history.h2.events")).isEqualTo(HISTORY_EVENTS);
        assertPercentilesInOrder(results, "history.h2.history.", false);
        assertPercentilesInOrder(results, "history.h2.verify.", false);
        assertThat(results.number("history.h2.historyP99Ms")).isEqualTo(results.number("history.h2.history.p99Ms"));

        assertThat(results.number("memory.h2.peakHeapMb")).isPositive();
        assertThat(results.number("memory.h2.heapAfterFullGcMb")).isPositive();
        assertThat(results.number("memory.h2.peakRssMb")).isGreaterThan(results.number("memory.h2.heapAfterFullGcMb"));
        // at least the full collection requested at the end, so the app's timer is the one read
        assertThat(results.number("memory.h2.gcPauses")).isGreaterThanOrEqualTo(1);
        assertThat(results.number("memory.h2.gcPausedMs")).isPositive();
        assertThat(results.number("memory.h2.heapSamples")).isPositive();
        assertThat(reportPauses).as("the reports' collections are some of the run's")
                .isLessThanOrEqualTo(results.number("memory.h2.gcPauses"));

        for (String phase : List.of("seed", "replayBaseline", "appendBaseline.c1", "appendBaseline.c16",
                "appendBaseline.c64", "replay", "reportWarmUp", "reports", "history", "lag", "append.c1", "append.c16",
                "append.c64", "append.c16Reading")) {
            String cpu = "cpu.h2." + phase + ".";
            double busy = results.number(cpu + "machineBusyPct");
            assertThat(busy).as(cpu + "machineBusyPct").isBetween(0.0, 100.0);
            for (String part : List.of("appPct", "postgresPct", "harnessPct", "stealPct", "iowaitPct", "otherPct")) {
                assertThat(results.number(cpu + part)).as(cpu + part).isBetween(0.0, 100.0);
            }
            // whatever PostgreSQL runs on this machine, none of it is an H2 run's
            assertThat(results.number(cpu + "postgresPct")).as(cpu + "postgresPct").isZero();
            // the time that waited for the disk is some of the time the cores were idle
            assertThat(results.number(cpu + "iowaitPct")).as(cpu + "iowaitPct").isLessThanOrEqualTo(100 - busy + 0.5);
            // the processes used no more than the machine did, give or take the 10-ms ticks of counters read
            // moments apart, which weigh in phases of a second like these
            assertThat(results.number(cpu + "appPct") + results.number(cpu + "postgresPct")
                    + results.number(cpu + "harnessPct")).as(cpu + " processes").isLessThanOrEqualTo(busy + 15);
        }
        // the harness does the seeding and the baselines in its own JVM, the app the replay and the commands
        assertThat(results.number("cpu.h2.seed.harnessPct")).isPositive();
        assertThat(results.number("cpu.h2.seed.appPct")).isZero();
        assertThat(results.number("cpu.h2.replay.appPct")).isPositive();
        assertThat(results.number("cpu.h2.append.c16.appPct")).isPositive();
        assertThat(results.get("cpu.h2.append.c16.appThreadsPct")).as("the app's busiest threads").isNotEmpty();

        String table = Benchmark.table(results, List.of("h2"));
        assertThat(table).contains("append c64 ratio", "funnel reads beside c16", "lag p99 ms", "replay ratio", "verify p99 ms", "peak RSS MB",
                "cpu % replay: machine / app / pg / harness");
        assertThat(table).doesNotContain(" - ");

        seededRowsLookLikeCommandRows(events);
    }

    /**
     * A level of a second may have no collection at all; what it has must add up: a count, a share of the level,
     * and a mean that times the count gives the total (figures rounded to three digits).
     */
    private static void assertPausesAddUp(Results results, String level) {
        double count = results.number(level + "gcPauses");
        double pausedMs = results.number(level + "gcPausedMs");
        assertThat(count).as(level + "gcPauses").isGreaterThanOrEqualTo(0);
        assertThat(results.number(level + "gcPausedPct")).as(level + "gcPausedPct").isBetween(0.0, 100.0);
        if (count == 0) {
            assertThat(pausedMs).as(level + "gcPausedMs").isZero();
            assertThat(results.get(level + "gcPauseMeanMs")).as(level + "gcPauseMeanMs").isNull();
        } else {
            double mean = results.number(level + "gcPauseMeanMs");
            assertThat(mean).as(level + "gcPauseMeanMs").isPositive();
            assertThat(mean * count).as(level + "mean x count").isCloseTo(pausedMs, within(pausedMs * 0.01 + 0.01));
        }
    }

    /**
     * The slowest sample's position among the variant's and what else took the app's time meanwhile, in bounds;
     * returns the variant's collections.
     */
    /** A second of warm-up, then steps of five seconds while the app's compilers are busy, at most one here. */
    private static void assertWarmUp(Results results, String warmUp) {
        double seconds = results.number(warmUp + "seconds");
        assertThat(seconds).as(warmUp + "seconds").isIn(1.0, 6.0);
        double compilers = results.number(warmUp + "jitCompilersPctLastStep");
        assertThat(compilers).as(warmUp + "jitCompilersPctLastStep").isBetween(0.0, 100.0);
        assertThat(results.get(warmUp + "jitQuiet").asBoolean()).as(warmUp + "jitQuiet").isEqualTo(compilers < 5.0);
        if (seconds == 1.0) {
            assertThat(compilers).as(warmUp + ": stopped at its shortest time with quiet compilers").isLessThan(5.0);
        }
    }

    private static double assertMeanwhile(Results results, String variant) {
        assertThat(results.number(variant + "slowestSample")).as(variant + "slowestSample")
                .isBetween(1.0, (double) REPORT_SAMPLES);
        double count = results.number(variant + "gcPauses");
        assertThat(count).as(variant + "gcPauses").isGreaterThanOrEqualTo(0);
        if (count == 0) {
            assertThat(results.number(variant + "gcPausedMs")).as(variant + "gcPausedMs").isZero();
        } else {
            assertThat(results.number(variant + "gcPausedMs")).as(variant + "gcPausedMs").isPositive();
        }
        assertThat(results.number(variant + "jitCompilersPct")).as(variant + "jitCompilersPct").isBetween(0.0, 100.0);
        return count;
    }

    private static void assertPercentilesInOrder(Results results, String prefix, boolean withP999) {
        double p50 = results.number(prefix + "p50Ms");
        double p99 = results.number(prefix + "p99Ms");
        assertThat(p50).as(prefix + "p50Ms").isPositive();
        assertThat(p99).as(prefix + "p99Ms").isGreaterThanOrEqualTo(p50);
        assertThat(results.number(prefix + "maxMs")).as(prefix + "maxMs").isGreaterThanOrEqualTo(p99);
        if (withP999) {
            assertThat(results.number(prefix + "p999Ms")).as(prefix + "p999Ms").isGreaterThanOrEqualTo(p99);
        }
    }

    /**
     * The rows seeded first and the rows the app stored for HTTP commands afterwards: per event type, the same
     * type column, revision, payload fields and actor, and every kind of metadata a command wrote also among the
     * seeded rows.
     */
    private void seededRowsLookLikeCommandRows(long seededEvents) throws Exception {
        Path data;
        try (Stream<Path> runs = Files.list(dir.resolve("work"))) {
            data = runs.filter(path -> path.getFileName().toString().startsWith("h2-")).findFirst().orElseThrow()
                    .resolve("data");
        }
        Map<String, Set<String>> seeded = new HashMap<>();
        Map<String, Set<String>> commanded = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath()
                + "/pipeline;WRITE_DELAY=0", "sa", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT global_index, type, payload_type, payload_revision,"
                     + " payload, meta_data FROM domain_event_entry ORDER BY global_index")) {
            long row = 0;
            while (rows.next()) {
                row++;
                JsonNode metaData = json.readTree(rows.getString("meta_data"));
                String shape = rows.getString("type") + " " + rows.getString("payload_type") + " r"
                        + rows.getString("payload_revision") + " payload" + names(json.readTree(rows.getString("payload")))
                        + " actor=" + metaData.get("actor").asText() + " metaData" + names(metaData);
                (row <= seededEvents ? seeded : commanded)
                        .computeIfAbsent(rows.getString("payload_type"), type -> new HashSet<>()).add(shape);
            }
        }
        assertThat(commanded.keySet()).as("event types the app stored for commands")
                .contains("com.salespipeline.events.LeadCaptured", "com.salespipeline.events.LeadQualified");
        for (Map.Entry<String, Set<String>> type : commanded.entrySet()) {
            assertThat(seeded.get(type.getKey())).as("seeded shapes of " + type.getKey())
                    .containsAll(type.getValue());
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
