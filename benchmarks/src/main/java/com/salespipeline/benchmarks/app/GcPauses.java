package com.salespipeline.benchmarks.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The app's stop-the-world collections up to one moment: how many, and how long they held the app in all, as
 * Micrometer's {@code jvm.gc.pause} timer counts them (the actuator's metrics, all collectors and causes). Two
 * readings give an append level's pauses. A young collection stops every command in flight, so at 16 clients the
 * number and length of the pauses are much of what a p99 carries beyond the commands' own work (docs/benchmarks.md,
 * session 26).
 *
 * @param count   pauses so far
 * @param totalMs their summed length, milliseconds
 */
public record GcPauses(long count, double totalMs) {

    static final String METRIC = "/actuator/metrics/jvm.gc.pause";

    /**
     * What the app's actuator tells now; empty when it does not answer. Micrometer registers the timer at the
     * first pause, so before any the metric is unknown (404): no pauses yet.
     */
    public static Optional<GcPauses> take(ApiClient api) {
        try {
            ApiClient.Reply reply = api.get(METRIC, ApiClient.ADMIN);
            if (reply.status() == 404) {
                return Optional.of(new GcPauses(0, 0));
            }
            return reply.ok() ? Optional.of(parse(reply.json())) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * The pauses once the timer counts more than {@code count} of them: Micrometer hears of a collection through a
     * JMX notification, a moment after it ended. Empty when it does not within {@code timeoutMs}.
     */
    public static Optional<GcPauses> awaitMoreThan(ApiClient api, long count, long timeoutMs)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            Optional<GcPauses> now = take(api);
            if (now.isPresent() && now.get().count() > count) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(50);
        }
    }

    /** The COUNT and TOTAL_TIME measurements of an actuator metric answer, the time in its base unit. */
    static GcPauses parse(JsonNode metric) {
        double toMs = switch (metric.path("baseUnit").asText()) {
            case "seconds" -> 1000;
            case "milliseconds" -> 1;
            default -> throw new IllegalArgumentException("a timer in seconds or milliseconds expected: " + metric);
        };
        Double count = null;
        Double total = null;
        for (JsonNode measurement : metric.path("measurements")) {
            switch (measurement.path("statistic").asText()) {
                case "COUNT" -> count = measurement.path("value").asDouble();
                case "TOTAL_TIME" -> total = measurement.path("value").asDouble();
                default -> { }
            }
        }
        if (count == null || total == null) {
            throw new IllegalArgumentException("no COUNT and TOTAL_TIME in " + metric);
        }
        return new GcPauses(Math.round(count), total * toMs);
    }

    /** The pauses between {@code before} and this reading. */
    public GcPauses since(GcPauses before) {
        return new GcPauses(count - before.count, totalMs - before.totalMs);
    }

    /** The mean pause, milliseconds; empty without pauses. */
    public Optional<Double> meanMs() {
        return count == 0 ? Optional.empty() : Optional.of(totalMs / count);
    }
}
