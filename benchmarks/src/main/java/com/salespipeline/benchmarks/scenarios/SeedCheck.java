package com.salespipeline.benchmarks.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.benchmarks.app.ApiClient;
import com.salespipeline.benchmarks.seed.GeneratedContact;
import com.salespipeline.events.Stage;
import java.util.List;

/**
 * Proof, through the running app, that seeded contacts are what commands would have made: the app verifies each
 * sampled contact's hash chain as intact, its read model (built by the replay) shows the generated stage and
 * version, the aggregate loads the history and accepts one more command, and it refuses a command the generated
 * stage does not allow, naming that stage. Each sampled contact gets one more event from this.
 */
public final class SeedCheck {

    private SeedCheck() {
    }

    /** Checks every contact; returns how many passed, and throws on the first one that does not. */
    public static int run(ApiClient api, List<GeneratedContact> contacts) {
        int passed = 0;
        for (GeneratedContact contact : contacts) {
            String path = "/api/contacts/" + contact.contactId();
            long events = contact.events().size();
            JsonNode verified = ok(api.get(path + "/history/verify", ApiClient.AUDITOR), path).json();
            require(verified.get("intact").asBoolean() && verified.get("events").asLong() == events,
                    contact, "chain verification " + verified);
            JsonNode view = ok(api.get(path, ApiClient.ANALYST), path).json();
            require(contact.stage().name().equals(view.get("stage").asText())
                    && view.get("version").asLong() == events - 1, contact, "read model " + view);
            JsonNode accepted = ok(api.post(path + "/engagements", ApiClient.SERVICE,
                    "{\"type\":\"PAGE_VIEWED\",\"note\":\"seed check\"}"), path).json();
            require(accepted.get("version").asLong() == events && contact.stage().name().equals(
                    accepted.get("stage").asText()), contact, "engagement answer " + accepted);
            boolean exited = contact.stage() == Stage.DISQUALIFIED || contact.stage() == Stage.LOST;
            ApiClient.Reply refused = api.post(path + (exited ? "/mark-advocate" : "/recycle"), ApiClient.SERVICE,
                    exited ? "{\"reason\":\"REFERRED\"}" : "{\"reason\":\"seed check\"}");
            require(refused.status() == 409 && contact.stage().name().equals(refused.json().path("currentStage").asText()),
                    contact, "refusal " + refused.status() + " " + refused.body());
            passed++;
        }
        return passed;
    }

    private static ApiClient.Reply ok(ApiClient.Reply reply, String path) {
        if (!reply.ok()) {
            throw new IllegalStateException(path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    private static void require(boolean holds, GeneratedContact contact, String what) {
        if (!holds) {
            throw new IllegalStateException("seeded contact " + contact.contactId() + " (generated stage "
                    + contact.stage() + ", " + contact.events().size() + " events) does not match: " + what);
        }
    }
}
