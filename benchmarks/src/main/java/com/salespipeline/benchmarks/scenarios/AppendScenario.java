package com.salespipeline.benchmarks.scenarios;

import com.salespipeline.benchmarks.Latencies;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commands through the HTTP API from concurrent clients. Each client walks its own new contacts through the
 * funnel (capture, two-way engagement, MQL, qualify, convert, win), one command after the other, so every
 * command is a valid one and each contact sees one client only. Every 2xx answer is a command committed. A
 * contact's id is a random UUID the client chooses, or, when asked, the one the server chooses and answers.
 */
public final class AppendScenario {

    private static final String[] STEPS = {"", "/engagements", "/mark-mql", "/qualify", "/convert", "/close-won"};

    /**
     * One concurrency level: committed commands, refused or failed ones, how long, the response times, and the
     * reads made meanwhile (none unless asked for).
     */
    public record Level(int clients, long commands, long errors, double seconds, Latencies latencies, Reads reads) {
        public double commandsPerSecond() {
            return commands / seconds;
        }
    }

    /** Funnel reads made while commands streamed in: their response times, and how many said they were behind. */
    public record Reads(Latencies latencies, long behind, long failed) {
    }

    /** The report an analyst would watch while the commands come in: their own campaign's funnel. */
    static final String WATCHED_REPORT = "/api/reports/funnel?campaign=bench-append";

    private final ApiClient api;
    private final String runId;
    private final boolean serverChosenIds;
    private final AtomicLong runs = new AtomicLong();
    private volatile long lastLevelEnd = System.nanoTime();
    private final java.util.Queue<String> errorSamples = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public AppendScenario(ApiClient api, String runId) {
        this(api, runId, false);
    }

    public AppendScenario(ApiClient api, String runId, boolean serverChosenIds) {
        this.api = api;
        this.runId = runId;
        this.serverChosenIds = serverChosenIds;
    }

    public Level run(int clients, int seconds, Progress progress) throws InterruptedException {
        return run(clients, seconds, 0, progress);
    }

    /**
     * @param readEveryMillis when above 0, one more client reads {@link #WATCHED_REPORT} that often (or as often
     *                        as its answers allow) while the others send commands
     */
    public Level run(int clients, int seconds, int readEveryMillis, Progress progress) throws InterruptedException {
        errorSamples.clear();
        ExecutorService pool = Executors.newFixedThreadPool(clients + (readEveryMillis > 0 ? 1 : 0));
        AtomicLong committed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<Latencies>> results = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            // every run has its own emails: a repeated email would be refused as a duplicate contact
            String client = runId + "-" + runs.get() + "-" + c;
            results.add(pool.submit(() -> client(client, deadline, committed, errors)));
        }
        Future<Reads> reads = readEveryMillis > 0 ? pool.submit(() -> reader(readEveryMillis, deadline)) : null;
        runs.incrementAndGet();
        pool.shutdown();
        while (!pool.awaitTermination(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            progress.update(Math.min(seconds, (long) elapsed), seconds, String.format(Locale.ROOT,
                    "s, %d clients, %.0f commands/s, %d errors", clients, committed.get() / elapsed, errors.get()));
        }
        lastLevelEnd = System.nanoTime();
        double elapsed = (lastLevelEnd - start) / 1e9;
        Latencies all = new Latencies();
        for (Future<Latencies> result : results) {
            try {
                all.add(result.get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("an append client failed", e.getCause());
            }
        }
        try {
            return new Level(clients, committed.get(), errors.get(), elapsed, all, reads == null ? null : reads.get());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the reading client failed", e.getCause());
        }
    }

    /**
     * How long after the last command the read model held every event stored: funnel reads, each waiting for the
     * read model as the standalone app makes it, until one is not marked {@code Read-Model-Behind}; empty when
     * none was within a minute. With reads that do not wait ({@code pipeline.query.catch-up-timeout=0s}) none is
     * marked, and this says nothing.
     */
    public java.util.OptionalDouble readModelCaughtUpMs() throws InterruptedException {
        long start = lastLevelEnd;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                ApiClient.Reply reply = api.get(WATCHED_REPORT, ApiClient.ANALYST);
                if (reply.ok() && !reply.readModelBehind()) {
                    return java.util.OptionalDouble.of((System.nanoTime() - start) / 1e6);
                }
            } catch (RuntimeException e) {
                // the app busy or restarting: ask again, as a client would
            }
            // a read marked behind without waiting (a parked event, a projection not running) would come back at once
            Thread.sleep(5);
        }
        return java.util.OptionalDouble.empty();
    }

    private Reads reader(int everyMillis, long deadline) throws InterruptedException {
        Latencies latencies = new Latencies();
        long behind = 0;
        long failed = 0;
        long next = System.nanoTime();
        while (next < deadline) {
            long sent = System.nanoTime();
            try {
                ApiClient.Reply reply = api.get(WATCHED_REPORT, ApiClient.ANALYST);
                if (reply.ok()) {
                    latencies.recordNanos(System.nanoTime() - sent);
                    behind += reply.readModelBehind() ? 1 : 0;
                } else {
                    failed++;
                }
            } catch (RuntimeException e) {
                failed++;
            }
            next = Math.max(next + everyMillis * 1_000_000L, System.nanoTime());
            long pause = next - System.nanoTime();
            if (pause > 0) {
                Thread.sleep(pause / 1_000_000L, (int) (pause % 1_000_000L));
            }
        }
        return new Reads(latencies, behind, failed);
    }

    private Latencies client(String client, long deadline, AtomicLong committed, AtomicLong errors) {
        Latencies latencies = new Latencies();
        long contact = 0;
        int step = 0;
        UUID id = null;
        while (System.nanoTime() < deadline) {
            if (step == 0) {
                id = serverChosenIds ? null : UUID.randomUUID();
            }
            String path = "/api/contacts" + (step == 0 ? "" : "/" + id + STEPS[step]);
            String body = body(step, id, client + "-" + contact);
            long sent = System.nanoTime();
            ApiClient.Reply reply;
            try {
                reply = api.post(path, ApiClient.SERVICE, body);
            } catch (RuntimeException e) {
                sampleError(errors, path + ": " + e);
                step = 0;
                continue;
            }
            long took = System.nanoTime() - sent;
            if (reply.ok()) {
                latencies.recordNanos(took);
                if (id == null) {
                    id = UUID.fromString(reply.json().get("contactId").asText());
                }
                committed.incrementAndGet();
                step = (step + 1) % STEPS.length;
            } else {
                sampleError(errors, path + " answered " + reply.status() + ": " + reply.body());
                step = 0;
            }
            if (step == 0) {
                contact++;
            }
        }
        return latencies;
    }

    private void sampleError(AtomicLong errors, String error) {
        if (errors.incrementAndGet() <= 5) {
            errorSamples.add(error);
        }
    }

    /** The first few refusals or failures of the last run, for the report of a run that had errors. */
    public List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    private static String body(int step, UUID id, String name) {
        return switch (step) {
            case 0 -> "{" + (id == null ? "" : "\"contactId\":\"" + id + "\",") + "\"name\":\"Bench " + name
                    + "\",\"email\":\"" + name + "@append.bench.example\",\"source\":\"WEB_FORM\","
                    + "\"campaign\":\"bench-append\"}";
            case 1 -> "{\"type\":\"CALL_HELD\",\"note\":\"discovery call\"}";
            case 2 -> "{\"score\":70}";
            case 3 -> "{\"budget\":\"50k\",\"authority\":\"CTO\",\"need\":\"reporting\",\"timeline\":\"Q3\"}";
            case 4 -> "{\"opportunityName\":\"Bench deal\",\"amount\":\"12000.00\",\"currency\":\"EUR\"}";
            default -> "{}";
        };
    }
}
