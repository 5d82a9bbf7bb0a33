package com.salespipeline.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.Latencies;
import com.salespipeline.benchmarks.Progress;
import com.salespipeline.benchmarks.app.ApiClient;
import java.util.UUID;

/**
 * From a command's 2xx answer to its effect in a report: capture a lead with a campaign of its own, then ask
 * the funnel for that campaign until it counts the lead. The lag ends when the first answer that counts it
 * arrives, so it includes one report round trip and up to one polling pause.
 */
public final class LagScenario {

    static final long POLL_PAUSE_MILLIS = 2;
    static final long GIVE_UP_NANOS = 60_000_000_000L;

    private LagScenario() {
    }

    /**
     * The lags, and how many captures the first funnel read after their answer already counted: all of them when
     * reads wait for the read model to catch up (the standalone app).
     */
    public record Lags(Latencies latencies, int countedByFirstRead) {
    }

    public static Lags run(ApiClient api, String runId, int samples, Progress progress) {
        Latencies lags = new Latencies();
        int countedByFirstRead = 0;
        for (int i = 0; i < samples; i++) {
            String campaign = "lag-" + runId + "-" + i;
            ApiClient.Reply captured = api.post("/api/contacts", ApiClient.SERVICE, "{\"contactId\":\""
                    + UUID.randomUUID() + "\",\"name\":\"Lag " + i + "\",\"email\":\"" + campaign
                    + "@lag.bench.example\",\"source\":\"AD\",\"campaign\":\"" + campaign + "\"}");
            long answered = System.nanoTime();
            if (captured.status() != 201) {
                throw new IllegalStateException("capture for the lag scenario answered " + captured.status() + ": "
                        + captured.body());
            }
            boolean firstRead = true;
            while (!countsLead(api.get("/api/reports/funnel?campaign=" + campaign, ApiClient.ANALYST))) {
                firstRead = false;
                if (System.nanoTime() - answered > GIVE_UP_NANOS) {
                    throw new IllegalStateException("the funnel did not count campaign " + campaign + " within 60 s");
                }
                sleep(POLL_PAUSE_MILLIS);
            }
            lags.recordNanos(System.nanoTime() - answered);
            if (firstRead) {
                countedByFirstRead++;
            }
            progress.update(i + 1, samples, "samples");
        }
        return new Lags(lags, countedByFirstRead);
    }

    private static boolean countsLead(ApiClient.Reply funnel) {
        if (funnel.status() != 200) {
            throw new IllegalStateException("funnel answered " + funnel.status() + ": " + funnel.body());
        }
        for (JsonNode stage : funnel.json().get("stages")) {
            if ("LEAD".equals(stage.get("stage").asText())) {
                return stage.get("reached").asLong() >= 1;
            }
        }
        throw new IllegalStateException("the funnel has no LEAD stage: " + funnel.body());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
