package com.salespipeline.command.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real HTTP client for tests: requests go over the socket, exactly as an outside client sends them. */
public final class HttpClientSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;

    public HttpClientSupport(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response with its JSON body parsed (null when the body is empty or not JSON). */
    public record Reply(int status, java.net.http.HttpHeaders headers, String text, JsonNode json) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Reply post(String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (!headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    public Reply post(String path, String key, String body) {
        return post(path, key, body, Map.of());
    }

    public Reply get(String path, String key) {
        return get(path, key, Map.of());
    }

    public Reply get(String path, String key, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** A request of any method without a body, such as HEAD or OPTIONS. */
    public Reply send(String method, String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    /**
     * The meter names {@code /actuator/metrics} lists, once it lists {@code http.server.requests}: a request's timer
     * is registered as the request ends on the server, which may be just after its client has the answer.
     */
    public List<String> meterNames(String adminKey) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Reply metrics = get("/actuator/metrics", adminKey);
            if (metrics.status() != 200) {
                throw new IllegalStateException("metrics answered " + metrics.status() + ": " + metrics.text());
            }
            List<String> names = new ArrayList<>();
            metrics.json().get("names").forEach(name -> names.add(name.asText()));
            if (names.contains("http.server.requests") || System.nanoTime() > deadline) {
                return names;
            }
            Thread.sleep(100);
        }
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // some answers (e.g. CSV) are not JSON; the text is kept
            }
            return new Reply(response.statusCode(), response.headers(), response.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
