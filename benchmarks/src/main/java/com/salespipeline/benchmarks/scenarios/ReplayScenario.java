package com.salespipeline.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.ApiClient;
import java.time.Duration;
import java.time.Instant;

/**
 * Rebuilds every read model from the full history through the admin API and waits for it to finish. The rate
 * is the app's own count of events applied over its own start and finish times; a replay that reports a
 * failure fails the run.
 */
public final class ReplayScenario {

    public record Measured(long events, double seconds, double wallSeconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    private ReplayScenario() {
    }

    public static Measured run(ApiClient api, Progress progress) {
        long wallStart = System.nanoTime();
        ApiClient.Reply started = api.post("/api/admin/replay", ApiClient.ADMIN, "{}");
        if (started.status() != 202) {
            throw new IllegalStateException("POST /api/admin/replay answered " + started.status() + ": " + started.body());
        }
        String startedAt = started.json().path("startedAt").asText(null);
        while (true) {
            JsonNode status = api.get("/api/admin/replay", ApiClient.ADMIN).json();
            boolean ours = startedAt == null || startedAt.equals(status.path("startedAt").asText(null));
            if (ours && "IDLE".equals(status.get("state").asText())) {
                if (!status.path("failure").isNull() && !status.path("failure").isMissingNode()) {
                    throw new IllegalStateException("the replay failed: " + status.get("failure").asText());
                }
                double wall = (System.nanoTime() - wallStart) / 1e9;
                Instant from = Instant.parse(status.get("startedAt").asText());
                Instant to = Instant.parse(status.get("finishedAt").asText());
                double seconds = Math.max(1e-3, Duration.between(from, to).toNanos() / 1e9);
                return new Measured(status.get("processed").asLong(), seconds, wall);
            }
            progress.update(status.path("processed").asLong(), status.path("total").asLong(), "events");
            LagScenario.sleep(100);
        }
    }
}
