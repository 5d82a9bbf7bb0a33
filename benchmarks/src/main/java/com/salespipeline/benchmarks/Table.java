package com.salespipeline.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.scenarios.ReportScenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/** The figures of results.json as a table: one row per figure, one column per database, and the target. */
final class Table {

    private record Row(String label, String path, String target, DoublePredicate meets) {
    }

    private Table() {
    }

    static void print(Results results, List<String> databases, PrintStream out) {
        List<Row> rows = rows(results, databases);
        List<String[]> lines = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("figure", "target"));
        header.addAll(databases);
        lines.add(header.toArray(String[]::new));
        for (Row row : rows) {
            List<String> cells = new ArrayList<>(List.of(row.label, row.target));
            for (String db : databases) {
                cells.add(cell(results, row, db));
            }
            lines.add(cells.toArray(String[]::new));
        }
        int[] widths = new int[header.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (int l = 0; l < lines.size(); l++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = lines.get(l)[i];
                text.append(i < 2 ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append(i < widths.length - 1 ? " | " : "");
            }
            out.println(text.toString().stripTrailing());
            if (l == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    rule.append("-".repeat(widths[i])).append(i < widths.length - 1 ? "-+-" : "");
                }
                out.println(rule);
            }
        }
    }

    private static List<Row> rows(Results results, List<String> databases) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("seeded contacts / events", "seed.{db}.contacts+seed.{db}.events", "", null));
        rows.add(new Row("append warm-up s / JIT compilers % of the machine in its last 5 s",
                "append.{db}.warmUp.seconds+append.{db}.warmUp.jitCompilersPctLastStep", "", null));
        for (String clients : new String[]{"c1", "c16", "c64"}) {
            String base = "append.{db}." + clients + ".";
            rows.add(new Row("append " + clients + " commands/s", base + "commandsPerSec", "", null));
            rows.add(new Row("append " + clients + " baseline rows/s", base + "baselineRowsPerSec", "", null));
            rows.add(clients.equals("c64")
                    ? new Row("append c64 ratio", base + "ratio", ">= 1.0", v -> v >= 1.0)
                    : new Row("append " + clients + " ratio", base + "ratio", "", null));
            rows.add(clients.equals("c16")
                    ? new Row("append c16 p99 ms", base + "p99Ms", "<= 50", v -> v <= 50)
                    : new Row("append " + clients + " p99 ms", base + "p99Ms", "", null));
            rows.add(new Row("append " + clients + " p50 / p99.9 ms", base + "p50Ms+" + base + "p999Ms", "", null));
            rows.add(new Row("append " + clients + " KB written per command: app / pg", base + "appKbWrittenPerCommand+"
                    + base + "postgresKbWrittenPerCommand", "", null));
            rows.add(new Row("append " + clients + " app's GC pauses: count / total ms / % of the level", base
                    + "gcPauses+" + base + "gcPausedMs+" + base + "gcPausedPct", "", null));
            rows.add(new Row("append " + clients + " read model caught up, ms after the level", base
                    + "readModelCaughtUpMs", "", null));
        }
        String reading = "append.{db}.c16Reading.";
        rows.add(new Row("append c16 with a funnel read every 20 ms: commands/s / vs without", reading
                + "commandsPerSec+" + reading + "commandsPerSecVsWithoutReads", "", null));
        rows.add(new Row("append c16 with reads: p50 / p99 ms", reading + "p50Ms+" + reading + "p99Ms", "", null));
        rows.add(new Row("append c16 with reads: read model caught up, ms after", reading + "readModelCaughtUpMs", "",
                null));
        rows.add(new Row("funnel reads beside c16: count / marked behind", reading + "reads.samples+" + reading
                + "reads.behind", "", null));
        rows.add(new Row("funnel reads beside c16: p50 / p99 ms", reading + "reads.p50Ms+" + reading + "reads.p99Ms",
                "", null));
        rows.add(new Row("lag p50 ms", "lag.{db}.p50Ms", "", null));
        rows.add(new Row("lag p99 ms", "lag.{db}.p99Ms", "<= 500", v -> v <= 500));
        rows.add(new Row("replay events/s", "replay.{db}.eventsPerSec", "", null));
        rows.add(new Row("replay baseline events/s", "replay.{db}.baselineEventsPerSec", "", null));
        rows.add(new Row("replay ratio", "replay.{db}.ratio", ">= 0.5", v -> v >= 0.5));
        rows.add(new Row("report warm-up s / JIT compilers % of the machine in its last 5 s",
                "reports.{db}.warmUp.seconds+reports.{db}.warmUp.jitCompilersPctLastStep", "", null));
        for (String report : ReportScenario.REPORTS.keySet()) {
            String base = "reports.{db}." + report + ".";
            rows.add(new Row("report " + report + " p99 / p50 ms", base + "p99Ms+" + base + "p50Ms", "<= 50 @1M",
                    v -> v <= 50));
            rows.add(new Row("report " + report + " asOf p99 / p50 ms", base + "asOf.p99Ms+" + base
                    + "asOf.p50Ms", "<= 1000 @1M", v -> v <= 1000));
        }
        rows.add(new Row("history p99 ms (1,000 events)", "history.{db}.historyP99Ms", "<= 100", v -> v <= 100));
        rows.add(new Row("verify p99 ms (1,000 events)", "history.{db}.verifyP99Ms", "<= 100", v -> v <= 100));
        rows.add(new Row("peak heap MB (sampled)", "memory.{db}.peakHeapMb", "< 512 @1M", v -> v < 512));
        rows.add(new Row("heap after full GC at end MB", "memory.{db}.heapAfterFullGcMb", "", null));
        rows.add(new Row("peak RSS MB (VmHWM)", "memory.{db}.peakRssMb", "", null));
        rows.add(new Row("app's GC pauses, whole run: count / total ms", "memory.{db}.gcPauses+memory.{db}.gcPausedMs",
                "", null));
        // what each figure shared the cores with: the machine, the app, the PostgreSQL server, the harness; and how
        // much of the idle time waited for the disk
        for (String[] phase : new String[][]{{"replay baseline", "replayBaseline"}, {"replay", "replay"},
                {"reports", "reports"}, {"append baseline c64", "appendBaseline.c64"}, {"append c16", "append.c16"},
                {"append c64", "append.c64"}}) {
            String base = "cpu.{db}." + phase[1] + ".";
            rows.add(new Row("cpu % " + phase[0] + ": machine / app / pg / harness / steal / iowait", base
                    + "machineBusyPct+" + base + "appPct+" + base + "postgresPct+" + base + "harnessPct+" + base
                    + "stealPct+" + base + "iowaitPct", "", null));
        }
        rows.add(new Row("wall time s", "run.{db}.wallSeconds", "", null));
        return rows;
    }

    private static String cell(Results results, Row row, String db) {
        List<String> values = new ArrayList<>();
        Double first = null;
        for (String path : row.path.split("\\+")) {
            JsonNode value = results.get(path.replace("{db}", db));
            if (value == null) {
                values.add("-");
                continue;
            }
            if (first == null) {
                first = value.asDouble();
            }
            values.add(format(value.asDouble()));
        }
        String text = String.join(" / ", values);
        if (row.meets != null && first != null) {
            text += row.meets.test(first) ? "  ok" : "  MISS";
        }
        return text;
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(width - text.length()) + text;
    }
}
