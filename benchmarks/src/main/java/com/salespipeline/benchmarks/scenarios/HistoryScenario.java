package com.salespipeline.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.Latencies;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.ApiClient;
import java.util.UUID;

/**
 * The audit reads of a contact with a long history: its full history, and the verification of its hash chain,
 * each checked once for the number of events (and for an intact chain) and then timed.
 */
public final class HistoryScenario {

    public record Measured(long events, Latencies history, Latencies verify) {
    }

    private HistoryScenario() {
    }

    public static Measured run(ApiClient api, UUID contact, long expectedEvents, int samples, Progress progress) {
        String history = "/api/contacts/" + contact + "/history";
        String verify = history + "/verify";
        JsonNode first = ok(api, history).json();
        if (first.get("events").size() != expectedEvents) {
            throw new IllegalStateException("history of " + contact + " has " + first.get("events").size()
                    + " events, expected " + expectedEvents);
        }
        JsonNode verified = ok(api, verify).json();
        if (!verified.get("intact").asBoolean() || verified.get("events").asLong() != expectedEvents) {
            throw new IllegalStateException("verification of " + contact + ": " + verified);
        }
        Latencies historyTimes = new Latencies();
        Latencies verifyTimes = new Latencies();
        for (int i = 0; i < samples; i++) {
            long sent = System.nanoTime();
            ok(api, history);
            historyTimes.recordNanos(System.nanoTime() - sent);
            sent = System.nanoTime();
            ok(api, verify);
            verifyTimes.recordNanos(System.nanoTime() - sent);
            progress.update(i + 1, samples, "history + verify pairs");
        }
        return new Measured(expectedEvents, historyTimes, verifyTimes);
    }

    private static ApiClient.Reply ok(ApiClient api, String path) {
        ApiClient.Reply reply = api.get(path, ApiClient.AUDITOR);
        if (reply.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply;
    }
}
