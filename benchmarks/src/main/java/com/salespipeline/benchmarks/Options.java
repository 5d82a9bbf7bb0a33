package com.salespipeline.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command line. Sizes and durations have defaults for a full run; {@code --quick} sets a run of every
 * scenario at 10,000 contacts in a few minutes; any explicit option wins over both.
 */
public final class Options {

    public long contacts = 100_000;
    public List<String> databases = List.of("h2");
    public String postgresUrl;
    public String postgresUser = "postgres";
    public String postgresPassword = "postgres";
    /** Settings of the embedded PostgreSQL server beyond the harness's own, by name, as given. */
    public Map<String, String> postgresSettings = new LinkedHashMap<>();
    public boolean quick;
    public long seed = 42;
    public Path appJar = Path.of("standalone/target/pipeline-standalone.jar");
    public Path out = Path.of("benchmarks/target/results.json");
    public Path workDir = Path.of("benchmarks/target/bench-work");
    public String appMaxHeap = "1g";
    public boolean keepData;
    public int longHistories = 1;
    public int longHistoryEvents = 1000;
    public int appendSeconds = 30;
    public int warmupSeconds = 15;
    /** The append warm-up goes on past {@link #warmupSeconds}, up to this, while the app's JIT compilers are busy. */
    public int warmupMaxSeconds = 120;
    public int[] appendClients = {1, 16, 64};
    /**
     * Who chooses a captured contact's id in the append levels: the client, a random UUID (the default, and every run
     * before session 55), or the server, a UUID of version 7.
     */
    public boolean serverChosenContactIds;
    public int lagSamples = 300;
    public int reportSamples = 50;
    public int reportWarmups = 5;
    /**
     * The reports' warm-up: every variant in turn for at least this long, then on while the app's JIT compilers are
     * busy, up to {@link #reportWarmupMaxSeconds}.
     */
    public int reportWarmupSeconds = 10;
    public int reportWarmupMaxSeconds = 60;
    public int reportSecondsPerVariant = 60;
    public int historySamples = 100;
    public int startupTimeoutSeconds = 300;

    public static final String USAGE = """
            usage: java -jar benchmarks/target/benchmarks.jar [--contacts N] [--db h2|postgres|h2,postgres]
                   [--postgres-url jdbc:postgresql://host/db [--postgres-user U] [--postgres-password P]]
                   [--postgres-setting name=value ...]
                   [--quick] [--seed S] [--app-jar standalone/target/pipeline-standalone.jar]
                   [--out benchmarks/target/results.json] [--work-dir benchmarks/target/bench-work]
                   [--app-xmx 1g] [--keep-data] [--append-seconds 30] [--warmup-seconds 15] [--warmup-max-seconds 120]
                   [--lag-samples 300] [--report-samples 50] [--report-warmups 5] [--report-seconds 60]
                   [--report-warmup-seconds 10] [--report-warmup-max-seconds 60] [--history-samples 100]
                   [--long-history-events 1000] [--contact-ids client|server]
            Without --postgres-url, --db postgres starts an embedded PostgreSQL; a given database must be empty.
            --postgres-setting (repeatable): a setting of the embedded server, e.g. max_wal_size=8GB.
            --contact-ids: who chooses a captured contact's id in the append levels (default client: random UUIDs).
            --quick: every scenario at 10,000 contacts with short durations (a few minutes per database).""";

    public static Options parse(String... args) {
        Options options = new Options();
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.contains("--quick")) {
            options.quick();
        }
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case "--quick" -> { }
                case "--keep-data" -> options.keepData = true;
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> {
                    if (!arg.startsWith("--") || i + 1 >= rest.size()) {
                        throw new IllegalArgumentException("unknown or incomplete option " + arg + "\n" + USAGE);
                    }
                    options.set(arg, rest.get(++i));
                }
            }
        }
        if (options.postgresUrl != null && !options.postgresSettings.isEmpty()) {
            // the harness sets the embedded server's settings as it starts it; a given server is left as it is
            throw new IllegalArgumentException("--postgres-setting is for the embedded PostgreSQL, not with"
                    + " --postgres-url: set " + String.join(", ", options.postgresSettings.keySet())
                    + " on that server itself");
        }
        if (options.contacts < options.longHistories + 1L) {
            throw new IllegalArgumentException("--contacts must exceed the number of long histories");
        }
        return options;
    }

    private void quick() {
        quick = true;
        contacts = 10_000;
        appendSeconds = 8;
        warmupSeconds = 4;
        warmupMaxSeconds = 19;
        lagSamples = 100;
        reportSamples = 20;
        reportWarmups = 3;
        reportWarmupSeconds = 3;
        reportWarmupMaxSeconds = 8;
        reportSecondsPerVariant = 10;
        historySamples = 30;
    }

    private void set(String option, String value) {
        switch (option) {
            case "--contacts" -> contacts = Long.parseLong(value.replace("_", ""));
            case "--db" -> databases = List.of(value.toLowerCase(Locale.ROOT).split(","));
            case "--postgres-url" -> postgresUrl = value;
            case "--postgres-user" -> postgresUser = value;
            case "--postgres-password" -> postgresPassword = value;
            case "--postgres-setting" -> {
                int equals = value.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException("--postgres-setting takes name=value, not " + value);
                }
                postgresSettings.put(value.substring(0, equals), value.substring(equals + 1));
            }
            case "--seed" -> seed = Long.parseLong(value);
            case "--app-jar" -> appJar = Path.of(value);
            case "--out" -> out = Path.of(value);
            case "--work-dir" -> workDir = Path.of(value);
            case "--app-xmx" -> appMaxHeap = value;
            case "--append-seconds" -> appendSeconds = Integer.parseInt(value);
            case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
            case "--warmup-max-seconds" -> warmupMaxSeconds = Integer.parseInt(value);
            case "--contact-ids" -> serverChosenContactIds = switch (value.toLowerCase(Locale.ROOT)) {
                case "client" -> false;
                case "server" -> true;
                default -> throw new IllegalArgumentException("--contact-ids takes client or server, not " + value);
            };
            case "--append-clients" -> appendClients = java.util.Arrays.stream(value.split(","))
                    .mapToInt(Integer::parseInt).toArray();
            case "--lag-samples" -> lagSamples = Integer.parseInt(value);
            case "--report-samples" -> reportSamples = Integer.parseInt(value);
            case "--report-warmups" -> reportWarmups = Integer.parseInt(value);
            case "--report-warmup-seconds" -> reportWarmupSeconds = Integer.parseInt(value);
            case "--report-warmup-max-seconds" -> reportWarmupMaxSeconds = Integer.parseInt(value);
            case "--report-seconds" -> reportSecondsPerVariant = Integer.parseInt(value);
            case "--history-samples" -> historySamples = Integer.parseInt(value);
            case "--long-history-events" -> longHistoryEvents = Integer.parseInt(value);
            case "--startup-timeout" -> startupTimeoutSeconds = Integer.parseInt(value);
            default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
        }
        for (String db : databases) {
            if (!db.equals("h2") && !db.equals("postgres")) {
                throw new IllegalArgumentException("--db is h2, postgres or both (h2,postgres), not " + db);
            }
        }
    }
}
