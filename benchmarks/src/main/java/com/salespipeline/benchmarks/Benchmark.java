package com.salespipeline.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.benchmarks.app.ApiClient;
import com.salespipeline.benchmarks.app.BenchDatabase;
import com.salespipeline.benchmarks.app.GcPauses;
import com.salespipeline.benchmarks.app.StandaloneApp;
import com.salespipeline.benchmarks.cpu.CpuAccount;
import com.salespipeline.benchmarks.cpu.WrittenBytes;
import com.salespipeline.benchmarks.scenarios.AppendBaseline;
import com.salespipeline.benchmarks.scenarios.AppendScenario;
import com.salespipeline.benchmarks.scenarios.HistoryScenario;
import com.salespipeline.benchmarks.scenarios.JitWarmUp;
import com.salespipeline.benchmarks.scenarios.LagScenario;
import com.salespipeline.benchmarks.scenarios.MemoryWatch;
import com.salespipeline.benchmarks.scenarios.ReplayBaseline;
import com.salespipeline.benchmarks.scenarios.ReplayScenario;
import com.salespipeline.benchmarks.scenarios.ReportScenario;
import com.salespipeline.benchmarks.scenarios.SeedCheck;
import com.salespipeline.benchmarks.scenarios.WhileSampled;
import com.salespipeline.benchmarks.seed.AppEventStore;
import com.salespipeline.benchmarks.seed.EventStoreSeeder;
import com.salespipeline.benchmarks.seed.HistoryGenerator;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The benchmark harness: for each database, seeds the event store, measures the baselines while the app is
 * stopped, starts the packaged standalone app on that database, runs every scenario against it, and writes the
 * figures to results.json and a table to stdout. Progress goes to stderr.
 *
 * <p>Order per database: seed (and place the live projection at the head) -> replay baseline -> append
 * baseline -> start app -> replay (builds the read model once) -> seed check -> reports (warm-up, then each
 * variant) -> history -> lag -> append (warm-up, then 1, 16, 64 clients) -> peak memory -> stop. Reports run
 * before append so they see the run's contact count, not that plus the contacts the append scenario creates.
 */
public final class Benchmark {

    private static final int APPEND_WARM_UP_CLIENTS = 16;
    // the level measured again with an analyst watching: what reads that wait for the read model cost the commands
    private static final int READING_LEVEL_CLIENTS = 16;
    private static final int READ_EVERY_MILLIS = 20;

    private final Options options;
    private final Progress progress;
    private final Results results;

    public Benchmark(Options options, Progress progress, Results results) {
        this.options = options;
        this.progress = progress;
        this.results = results;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Progress progress = Progress.onStderr();
        Results results = Results.load(options.out);
        try {
            new Benchmark(options, progress, results).run();
        } catch (Exception e) {
            progress.note("benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        Table.print(results, options.databases, System.out);
        System.out.println("results: " + options.out.toAbsolutePath().normalize());
        System.exit(0);
    }

    /** Runs every scenario on every database of the options and writes results.json after each. */
    public void run() throws Exception {
        for (String db : options.databases) {
            long started = System.nanoTime();
            results.clear(db);
            runOn(db);
            ObjectNode run = results.at("run." + db);
            run.put("contacts", options.contacts);
            run.put("seed", options.seed);
            run.put("quick", options.quick);
            run.put("appMaxHeap", options.appMaxHeap);
            if (db.equals("postgres") && options.postgresUrl == null && !options.postgresSettings.isEmpty()) {
                ObjectNode settings = run.putObject("postgresSettings");
                options.postgresSettings.forEach(settings::put);
            }
            run.put("cpus", Runtime.getRuntime().availableProcessors());
            run.put("wallSeconds", Results.round((System.nanoTime() - started) / 1e9));
            run.put("finishedAt", Instant.now().toString());
            results.write(options.out);
        }
    }

    private void runOn(String db) throws Exception {
        Path work = options.workDir.resolve(db + "-" + System.currentTimeMillis());
        Files.createDirectories(work);
        progress.phase(db + ": database");
        CpuAccount cpu = new CpuAccount(results, db);
        try (cpu; BenchDatabase database = open(db, work)) {
            EventStoreSeeder.Seeded seeded;
            try (HikariDataSource dataSource = database.storeDataSource(2)) {
                AppEventStore store = new AppEventStore(dataSource);
                EventStoreSeeder seeder = new EventStoreSeeder(store);
                seeder.prepareSchema();
                progress.phase(db + ": seeding " + options.contacts + " contacts (seed " + options.seed + ")");
                HistoryGenerator generator = new HistoryGenerator(options.seed, Instant.now(),
                        ApiClient.SERVICE_PRINCIPAL);
                long seedStart = System.nanoTime();
                CpuAccount.Phase seeding = cpu.start("seed");
                seeded = seeder.seed(generator, options.contacts, options.longHistories, options.longHistoryEvents,
                        progress);
                seeding.end();
                double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
                seeder.startLiveProjectionAtHead();
                ObjectNode seedFigures = results.at("seed." + db);
                seedFigures.put("contacts", seeded.contacts());
                seedFigures.put("events", seeded.events());
                seedFigures.put("seconds", Results.round(seedSeconds));
                seedFigures.put("eventsPerSec", Results.round(seeded.events() / seedSeconds));
                seedFigures.put("liveProjection", "tokens initialised at the head of the seeded history");
            }
            // the seeding's own connections leave most of an H2 file dead (no compaction runs beside them); an
            // operator compacts after such a bulk load, and the app, which compacts while it runs, would spend the
            // whole run on that file's dead chunks instead
            database.compactAfterSeeding(results.at("seed." + db), progress);
            try (HikariDataSource dataSource = database.storeDataSource(2)) {
                AppEventStore store = new AppEventStore(dataSource);
                progress.phase(db + ": replay baseline (read + deserialise " + seeded.events() + " events)");
                CpuAccount.Phase reading = cpu.start("replayBaseline");
                ReplayBaseline.Measured readOnly = ReplayBaseline.run(store, seeded.events(), progress);
                reading.end();
                if (readOnly.events() != seeded.events()) {
                    throw new IllegalStateException("the replay baseline read " + readOnly.events() + " events, "
                            + seeded.events() + " were seeded");
                }
                results.at("replay." + db).put("baselineEventsPerSec", Results.round(readOnly.eventsPerSecond()));
                database.restoreAfterSeeding(dataSource);
            }
            Map<Integer, Double> baseline = new LinkedHashMap<>();
            for (int clients : options.appendClients) {
                progress.phase(db + ": append baseline, " + clients + " clients, one row per commit");
                CpuAccount.Phase inserting = cpu.start("appendBaseline.c" + clients);
                baseline.put(clients, AppendBaseline.rowsPerSecond(database, clients, options.appendSeconds, progress));
                inserting.end();
            }

            progress.phase(db + ": starting the standalone app");
            try (StandaloneApp app = StandaloneApp.start(options.appJar, work, database.appEnvironment(),
                    options.appMaxHeap, progress);
                 ApiClient api = new ApiClient(app.baseUrl(), 8 + maxClients())) {
                app.awaitHealthy(api, options.startupTimeoutSeconds);
                cpu.app(app.pid());
                try (MemoryWatch memory = new MemoryWatch(api, app)) {
                    measureApp(db, api, seeded, baseline, cpu, app.pid());
                    ObjectNode figures = results.at("memory." + db);
                    figures.put("peakHeapMb", Results.round(memory.peakHeapBytes() / 1048576.0));
                    long pausesBeforeFullGc = GcPauses.take(api).map(GcPauses::count).orElse(0L);
                    app.fullGc();
                    figures.put("heapAfterFullGcMb", Results.round(memory.heapNowBytes() / 1048576.0));
                    // read once the timer has counted the requested collection: the run's pauses include it
                    GcPauses.awaitMoreThan(api, pausesBeforeFullGc, 5000).ifPresent(pauses -> {
                        figures.put("gcPauses", pauses.count());
                        figures.put("gcPausedMs", Results.round(pauses.totalMs()));
                    });
                    figures.put("heapSamples", memory.samples());
                    figures.put("heapSource", MemoryWatch.HEAP_SOURCE);
                    memory.peakRssBytes().ifPresent(rss -> figures.put("peakRssMb", Results.round(rss / 1048576.0)));
                    figures.put("rssSource", "VmHWM of /proc/" + app.pid() + "/status");
                    figures.put("appMaxHeap", options.appMaxHeap);
                }
                progress.phase(db + ": stopping the app");
            }
        } finally {
            keepAppLog(db, work);
            if (!options.keepData) {
                deleteTree(work);
            }
        }
    }

    /** The app's log beside the results, as app-<db>.log: what a failed or slow run leaves to look into. */
    private void keepAppLog(String db, Path work) {
        Path log = work.resolve("app.log");
        if (Files.exists(log)) {
            Path kept = options.out.toAbsolutePath().resolveSibling("app-" + db + ".log");
            try {
                Files.createDirectories(kept.getParent());
                Files.copy(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                progress.note("app log kept in " + kept);
            } catch (IOException e) {
                progress.note("cannot keep the app log: " + e);
            }
        }
    }

    private void measureApp(String db, ApiClient api, EventStoreSeeder.Seeded seeded, Map<Integer, Double> baseline,
                            CpuAccount cpu, long appPid) throws InterruptedException {
        String runId = Long.toString(System.currentTimeMillis(), 36);

        progress.phase(db + ": replay (rebuild every read model from " + seeded.events() + " events)");
        CpuAccount.Phase replaying = cpu.start("replay");
        ReplayScenario.Measured replay = ReplayScenario.run(api, progress);
        replaying.end();
        if (replay.events() != seeded.events()) {
            throw new IllegalStateException("the replay applied " + replay.events() + " events, " + seeded.events()
                    + " were seeded");
        }
        ObjectNode replayFigures = results.at("replay." + db);
        replayFigures.put("events", replay.events());
        replayFigures.put("seconds", Results.round(replay.seconds()));
        replayFigures.put("eventsPerSec", Results.round(replay.eventsPerSecond()));
        replayFigures.put("ratio", Results.ratio(replay.eventsPerSecond(), replayFigures.get("baselineEventsPerSec").asDouble()));

        progress.phase(db + ": seed check (" + seeded.sample().size() + " seeded contacts through the app)");
        results.at("seed." + db).put("checkedContacts", SeedCheck.run(api, seeded.sample()));

        progress.phase(db + ": report warm-up, every variant in turn, " + options.reportWarmupSeconds + " s, on up to "
                + options.reportWarmupMaxSeconds + " s while the app's JIT compilers are busy");
        CpuAccount.Phase warmingReports = cpu.start("reportWarmUp");
        JitWarmUp.Done reportWarmUp = JitWarmUp.run(ReportScenario.warmUp(api, progress), appPid,
                options.reportWarmupSeconds, options.reportWarmupMaxSeconds, progress);
        warmingReports.end();
        putWarmUp(results.at("reports." + db + ".warmUp"), reportWarmUp);

        progress.phase(db + ": reports (" + options.reportSamples + " samples per variant)");
        CpuAccount.Phase reporting = cpu.start("reports");
        List<ReportScenario.Measured> reports = ReportScenario.run(api, appPid, options.reportSamples, options.reportWarmups,
                options.reportSecondsPerVariant, progress);
        reporting.end();
        for (ReportScenario.Measured report : reports) {
            ObjectNode figures = results.at("reports." + db + "." + report.report() + (report.asOf() ? ".asOf" : ""));
            putPercentiles(figures, report.latencies(), false);
            putMeanwhile(figures, report.slowestSample(), report.meanwhile());
        }

        progress.phase(db + ": history and verify of a contact with " + options.longHistoryEvents + " events");
        CpuAccount.Phase reading = cpu.start("history");
        HistoryScenario.Measured history = HistoryScenario.run(api, seeded.longHistories().get(0),
                options.longHistoryEvents, options.historySamples, progress);
        reading.end();
        ObjectNode historyFigures = results.at("history." + db);
        historyFigures.put("events", history.events());
        putPercentiles(historyFigures.putObject("history"), history.history(), false);
        putPercentiles(historyFigures.putObject("verify"), history.verify(), false);
        historyFigures.put("historyP99Ms", Results.round(history.history().percentileMs(99)));
        historyFigures.put("verifyP99Ms", Results.round(history.verify().percentileMs(99)));

        progress.phase(db + ": lag from 2xx to the funnel report (" + options.lagSamples + " samples)");
        CpuAccount.Phase following = cpu.start("lag");
        LagScenario.Lags lag = LagScenario.run(api, runId, options.lagSamples, progress);
        following.end();
        putPercentiles(results.at("lag." + db), lag.latencies(), false);
        results.at("lag." + db).put("countedByFirstRead", lag.countedByFirstRead());

        AppendScenario append = new AppendScenario(api, runId, options.serverChosenContactIds);
        results.at("append." + db).put("contactIds", options.serverChosenContactIds ? "server" : "client");
        progress.phase(db + ": append warm-up, " + APPEND_WARM_UP_CLIENTS + " clients, " + options.warmupSeconds
                + " s, on up to " + options.warmupMaxSeconds + " s while the app's JIT compilers are busy");
        JitWarmUp.Done warmUp = JitWarmUp.run(seconds -> append.run(APPEND_WARM_UP_CLIENTS, seconds, progress), appPid,
                options.warmupSeconds, options.warmupMaxSeconds, progress);
        putWarmUp(results.at("append." + db + ".warmUp"), warmUp);
        for (int clients : options.appendClients) {
            ObjectNode figures = appendLevel(db, "c" + clients, clients, 0, append, api, cpu, appPid);
            figures.put("baselineRowsPerSec", Results.round(baseline.get(clients)));
            figures.put("ratio", Results.ratio(figures.get("commandsPerSec").asDouble(), baseline.get(clients)));
        }
        if (java.util.Arrays.stream(options.appendClients).anyMatch(clients -> clients == READING_LEVEL_CLIENTS)) {
            ObjectNode figures = appendLevel(db, "c" + READING_LEVEL_CLIENTS + "Reading", READING_LEVEL_CLIENTS,
                    READ_EVERY_MILLIS, append, api, cpu, appPid);
            figures.put("readEveryMs", READ_EVERY_MILLIS);
            figures.put("commandsPerSecVsWithoutReads", Results.ratio(figures.get("commandsPerSec").asDouble(),
                    results.at("append." + db + ".c" + READING_LEVEL_CLIENTS).get("commandsPerSec").asDouble()));
        }
    }

    /** One level of commands, with a reader beside them when {@code readEveryMillis} is above 0; its figures. */
    private ObjectNode appendLevel(String db, String name, int clients, int readEveryMillis, AppendScenario append,
                                   ApiClient api, CpuAccount cpu, long appPid) throws InterruptedException {
        progress.phase(db + ": append, " + clients + " clients, " + options.appendSeconds + " s"
                + (readEveryMillis > 0 ? ", and a funnel read every " + readEveryMillis + " ms" : ""));
        CpuAccount.Phase appending = cpu.start("append." + name);
        Optional<WrittenBytes> writtenBefore = WrittenBytes.take(appPid);
        Optional<GcPauses> pausesBefore = GcPauses.take(api);
        long levelStart = System.nanoTime();
        AppendScenario.Level level = append.run(clients, options.appendSeconds, readEveryMillis, progress);
        double levelMs = (System.nanoTime() - levelStart) / 1e6;
        Optional<GcPauses> pausesAfter = GcPauses.take(api);
        Optional<WrittenBytes> writtenAfter = WrittenBytes.take(appPid);
        appending.end();
        ObjectNode figures = results.at("append." + db + "." + name);
        append.readModelCaughtUpMs().ifPresent(ms -> figures.put("readModelCaughtUpMs", Results.round(ms)));
        figures.put("commandsPerSec", Results.round(level.commandsPerSecond()));
        if (pausesBefore.isPresent() && pausesAfter.isPresent()) {
            putPauses(figures, pausesAfter.get().since(pausesBefore.get()), levelMs);
        }
        if (writtenBefore.isPresent() && writtenAfter.isPresent() && level.commands() > 0) {
            WrittenBytes written = writtenAfter.get().since(writtenBefore.get());
            figures.put("appKbWrittenPerCommand", Results.round(written.app() / 1024.0 / level.commands()));
            if (db.equals("postgres") && written.postgres() > 0) {
                // an embedded server, or one on this machine: a server elsewhere has no processes here; in an H2 run
                // a server on this machine is none of the run's
                figures.put("postgresKbWrittenPerCommand",
                        Results.round(written.postgres() / 1024.0 / level.commands()));
            }
        }
        putPercentiles(figures, level.latencies(), true);
        figures.put("errors", level.errors());
        if (level.errors() > 0) {
            append.errorSamples().forEach(error -> figures.withArray("errorSamples").add(error));
            progress.note(level.errors() + " commands failed, e.g. " + append.errorSamples().get(0));
        }
        if (level.reads() != null) {
            ObjectNode reads = figures.putObject("reads");
            putPercentiles(reads, level.reads().latencies(), false);
            reads.put("behind", level.reads().behind());
            reads.put("failed", level.reads().failed());
        }
        return figures;
    }

    /** How long a warm-up ran, and how busy the app's compilers were when it stopped. */
    private static void putWarmUp(ObjectNode figures, JitWarmUp.Done warmUp) {
        figures.put("seconds", warmUp.seconds());
        warmUp.compilersPct().ifPresent(pct -> figures.put("jitCompilersPctLastStep", Results.round(pct)));
        figures.put("jitQuiet", warmUp.quiet());
    }

    /** The app's collector pauses during a level: each one holds every command in flight. */
    private static void putPauses(ObjectNode figures, GcPauses pauses, double levelMs) {
        figures.put("gcPauses", pauses.count());
        figures.put("gcPausedMs", Results.round(pauses.totalMs()));
        pauses.meanMs().ifPresent(mean -> figures.put("gcPauseMeanMs", Results.round(mean)));
        figures.put("gcPausedPct", Results.round(100 * pauses.totalMs() / levelMs));
    }

    /** What a report's slowest sample may have waited for: its position, the collections, the compilers. */
    private static void putMeanwhile(ObjectNode figures, int slowestSample, WhileSampled meanwhile) {
        figures.put("slowestSample", slowestSample);
        meanwhile.pauses().ifPresent(pauses -> {
            figures.put("gcPauses", pauses.count());
            figures.put("gcPausedMs", Results.round(pauses.totalMs()));
        });
        meanwhile.compilersPct().ifPresent(pct -> figures.put("jitCompilersPct", Results.round(pct)));
    }

    private static void putPercentiles(ObjectNode figures, Latencies latencies, boolean withP999) {
        figures.put("samples", latencies.count());
        figures.put("p50Ms", Results.round(latencies.percentileMs(50)));
        figures.put("p99Ms", Results.round(latencies.percentileMs(99)));
        if (withP999) {
            figures.put("p999Ms", Results.round(latencies.percentileMs(99.9)));
        }
        figures.put("maxMs", Results.round(latencies.maxMs()));
    }

    private int maxClients() {
        int max = 16;
        for (int clients : options.appendClients) {
            max = Math.max(max, clients);
        }
        return max;
    }

    private BenchDatabase open(String db, Path work) {
        if (db.equals("h2")) {
            return BenchDatabase.h2(work.resolve("data"));
        }
        if (options.postgresUrl != null) {
            return BenchDatabase.postgres(work.resolve("data"), options.postgresUrl, options.postgresUser,
                    options.postgresPassword);
        }
        return BenchDatabase.embeddedPostgres(work.resolve("data"), options.keepData, options.postgresSettings);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /** For the smoke test: the table as text. */
    static String table(Results results, java.util.List<String> databases) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Table.print(results, databases, new PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
