package com.salespipeline.benchmarks.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The app's HTTP API as a client sees it, over one HTTP/1.1 connection pool. The client's own work runs on a
 * fixed pool of platform threads (no virtual threads on Java 17).
 */
public final class ApiClient implements AutoCloseable {

    /** The keys the harness configures through PIPELINE_API_KEYS, one per role. */
    public static final String SERVICE = "bench-service-key";
    public static final String ANALYST = "bench-analyst-key";
    public static final String AUDITOR = "bench-auditor-key";
    public static final String ADMIN = "bench-admin-key";
    /** The principal of the SERVICE key: the actor of every command the harness sends, and of seeded events. */
    public static final String SERVICE_PRINCIPAL = "bench-service";
    public static final String API_KEYS = SERVICE + "=SERVICE:" + SERVICE_PRINCIPAL + "," + ANALYST
            + "=ANALYST:bench-analyst," + AUDITOR + "=AUDITOR:bench-auditor," + ADMIN + "=ADMIN:bench-admin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final ExecutorService executor;
    private final HttpClient http;

    public ApiClient(String baseUrl, int threads) {
        this.baseUrl = baseUrl;
        this.executor = Executors.newFixedThreadPool(Math.max(2, threads), runnable -> {
            Thread thread = new Thread(runnable, "http-client");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(executor)
                .build();
    }

    /**
     * A response: status and body text, with the body parsed as JSON on demand, and whether the app said its read
     * model may lack events (header {@code Read-Model-Behind}).
     */
    public record Reply(int status, String body, boolean readModelBehind) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public Reply get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public Reply post(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Read-Model-Behind").isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
