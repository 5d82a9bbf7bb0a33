package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost: the packaged standalone jar is killed with SIGKILL while commands
 * stream in, started again on the same data folder, and every command that got a 2xx answer is found; the
 * read model then takes in the events stored after the restart.
 */
class StandaloneCrashIT {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";

    @TempDir
    Path dataDir;
    Process app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.destroyForcibly();
        }
    }

    @Test
    void everyAcknowledgedCommandSurvivesAKillMinus9() throws Exception {
        int port = freePort();
        app = launch(port);
        HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);
        awaitHealthy(http);

        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean streaming = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        for (int c = 0; c < 16; c++) {
            clients.submit(() -> {
                while (streaming.get()) {
                    try {
                        Reply created = http.post("/api/contacts", SERVICE, "{\"name\":\"Load\",\"email\":\""
                                + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}");
                        if (created.status() != 201) {
                            continue;
                        }
                        String id = created.json().get("contactId").asText();
                        acknowledged.put(id, 0L);
                        Reply engaged = http.post("/api/contacts/" + id + "/engagements", SERVICE,
                                "{\"type\":\"EMAIL_OPENED\"}");
                        if (engaged.status() == 200) {
                            acknowledged.put(id, engaged.json().get("version").asLong());
                        }
                    } catch (RuntimeException connectionLost) {
                        // the server is gone: whatever was not answered 2xx is not acknowledged
                    }
                }
                return null;
            });
        }
        // killed mid-stream once enough is acknowledged to mean something, however slow the machine is today
        long deadline = System.currentTimeMillis() + 120_000;
        while (acknowledged.size() < 150 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        streaming.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        Map<String, Long> acked = Map.copyOf(acknowledged);
        assertThat(acked).as("commands acknowledged before the kill").hasSizeGreaterThan(100);

        app = launch(port);
        awaitHealthy(http);
        List<String> lost = new ArrayList<>();
        Map<String, Long> after = new ConcurrentHashMap<>();
        for (Map.Entry<String, Long> contact : acked.entrySet()) {
            // a contact answered at version v has at least v+1 events: the next one gets a higher version
            Reply next = http.post("/api/contacts/" + contact.getKey() + "/engagements", SERVICE, "{\"type\":\"PAGE_VIEWED\"}");
            if (next.status() != 200 || next.json().get("version").asLong() <= contact.getValue()) {
                lost.add(contact.getKey() + " acked at version " + contact.getValue() + ", now " + next.status() + " " + next.text());
            } else {
                after.put(contact.getKey(), next.json().get("version").asLong());
            }
        }
        System.out.printf("kill -9 test: %d contacts acknowledged before the kill, %d lost%n", acked.size(), lost.size());
        assertThat(lost).isEmpty();

        // the events stored after the restart follow the global indexes the kill left unused (H2 hands them out
        // from a cache of 256, V3__event_index_cache.sql: more than Axon's gap-cleaning threshold of 250), and the
        // killed process still held the projection's claim: the read model must still take in every one of them
        assertThat(notYetProjected(http, after, 60)).as("contacts whose read model missed events stored after the restart")
                .isEmpty();
    }

    /**
     * A graceful stop (SIGTERM) while commands stream in: every command answered 2xx is stored, every one answered
     * 503 "nothing of this command is stored" is not, and no commit is cut by the stop. With H2 closing the database
     * from its own shutdown hook, the last batches' commits failed after their events were stored, and were answered
     * "nothing stored" (session 51).
     */
    @Test
    void everyCommandIsStoredExactlyAsItWasAnsweredAcrossAGracefulStop() throws Exception {
        int port = freePort();
        app = launch(port);
        HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);
        awaitHealthy(http);

        record Answered(String contactId, String correlationId, int status, String detail) {
        }
        List<Answered> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean streaming = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        for (int c = 0; c < 16; c++) {
            clients.submit(() -> {
                String id = null;
                while (streaming.get()) {
                    String correlationId = UUID.randomUUID().toString();
                    try {
                        Reply reply = id == null
                                ? http.post("/api/contacts", SERVICE, "{\"name\":\"Load\",\"email\":\"" + UUID.randomUUID()
                                + "@example.com\",\"source\":\"AD\"}", Map.of("X-Correlation-Id", correlationId))
                                : http.post("/api/contacts/" + id + "/engagements", SERVICE, "{\"type\":\"EMAIL_OPENED\"}",
                                Map.of("X-Correlation-Id", correlationId));
                        if (id == null && reply.status() == 201) {
                            id = reply.json().get("contactId").asText();
                            answers.add(new Answered(id, correlationId, reply.status(), null));
                        } else if (id != null) {
                            answers.add(new Answered(id, correlationId, reply.status(),
                                    reply.status() >= 400 ? reply.json().path("detail").asText() : null));
                        }
                    } catch (RuntimeException connectionLost) {
                        // no answer: either way is allowed
                        return null;
                    }
                }
                return null;
            });
        }
        long deadline = System.currentTimeMillis() + 120_000;
        while (answers.size() < 600 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        app.destroy();
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app stopped within 60 s of SIGTERM").isTrue();
        streaming.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        List<Answered> answered = List.copyOf(answers);
        assertThat(answered.stream().filter(a -> a.status() / 100 == 2)).as("commands acknowledged").hasSizeGreaterThan(300);

        app = launch(port);
        awaitHealthy(http);
        Map<String, java.util.Set<String>> stored = new java.util.HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Answered answer : answered) {
            java.util.Set<String> correlationIds = stored.computeIfAbsent(answer.contactId(), id -> {
                java.util.Set<String> ids = new java.util.HashSet<>();
                http.get("/api/contacts/" + id + "/history", "auditor-dev-key").json().get("events")
                        .forEach(event -> ids.add(event.get("correlationId").asText()));
                return ids;
            });
            boolean isStored = correlationIds.contains(answer.correlationId());
            boolean saidStored = answer.status() / 100 == 2;
            boolean saidNotStored = answer.status() == 503 && answer.detail().contains("nothing of this command is stored");
            if ((saidStored && !isStored) || (saidNotStored && isStored)) {
                wrong.add(answer + (isStored ? " is stored" : " is not stored"));
            }
        }
        System.out.printf("graceful stop test: %d answers, %d of them 503%n", answered.size(),
                answered.stream().filter(a -> a.status() == 503).count());
        assertThat(wrong).as("commands stored otherwise than answered").isEmpty();
        // the stop waits for the commits of what it accepted: none is cut (with H2's own hook, 16 of 627 were)
        assertThat(answered).filteredOn(a -> a.status() == 503 && a.detail().contains("commit failed"))
                .as("commands whose commit the stop cut").isEmpty();
    }

    /** The contacts whose read-model version has not reached {@code versions} within {@code seconds}. */
    static List<String> notYetProjected(HttpClientSupport http, Map<String, Long> versions, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> behind;
        do {
            behind = new ArrayList<>();
            for (Map.Entry<String, Long> contact : versions.entrySet()) {
                Reply read = http.get("/api/contacts/" + contact.getKey(), ANALYST);
                if (read.status() != 200 || read.json().get("version").asLong() != contact.getValue()) {
                    behind.add(contact.getKey() + " expected version " + contact.getValue() + ", read " + read.status()
                            + " " + read.text());
                }
            }
            if (!behind.isEmpty()) {
                Thread.sleep(500);
            }
        } while (!behind.isEmpty() && System.nanoTime() < deadline);
        return behind;
    }

    Process launch(int port) throws IOException {
        String jar = System.getProperty("standalone.jar", "target/pipeline-standalone.jar");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar, "--server.port=" + port));
        String datasource = System.getProperty("crash.datasource.url");
        if (datasource != null) {
            // only to show that the test can fail: e.g. H2 with its default write delay
            command.add("--spring.datasource.url=" + datasource.replace("{dir}", dataDir.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dataDir.toFile(), "app.log")));
        builder.environment().put("PIPELINE_DATA_DIR", dataDir.toString());
        return builder.start();
    }

    static void awaitHealthy(HttpClientSupport http) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (http.get("/actuator/health", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the standalone app did not become healthy within 90 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
