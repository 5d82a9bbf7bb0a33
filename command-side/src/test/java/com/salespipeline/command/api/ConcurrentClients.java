package com.salespipeline.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Many clients hitting one contact at once, half of them with If-Match. Proves that no update is lost:
 * every accepted command got its own version, the event sequence has no gap and no duplicate, and
 * stale If-Match answers are 412, never a silent overwrite.
 */
public final class ConcurrentClients {

    private ConcurrentClients() {
    }

    public static void assertNoLostUpdates(HttpClientSupport http, JdbcTemplate jdbc) throws Exception {
        Reply created = http.post("/api/contacts", "service-dev-key", "{\"name\":\"Busy\",\"email\":\""
                + UUID.randomUUID() + "@example.com\",\"source\":\"EVENT\"}");
        String id = created.json().get("contactId").asText();
        int clients = 8;
        int commandsPerClient = 25;
        List<Long> acceptedVersions = Collections.synchronizedList(new ArrayList<>());
        List<Integer> refusals = Collections.synchronizedList(new ArrayList<>());

        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            boolean optimistic = client % 2 == 0;
            running.add(pool.submit(() -> {
                long known = 0;
                for (int i = 0; i < commandsPerClient; i++) {
                    Map<String, String> headers = optimistic ? Map.of("If-Match", "\"" + known + "\"") : Map.of();
                    Reply reply = http.post("/api/contacts/" + id + "/engagements", "service-dev-key",
                            "{\"type\":\"PAGE_VIEWED\"}", headers);
                    if (reply.status() == 200) {
                        known = reply.json().get("version").asLong();
                        acceptedVersions.add(known);
                    } else {
                        assertThat(reply.status()).as(reply.text()).isIn(409, 412);
                        refusals.add(reply.status());
                        if (reply.status() == 412) {
                            known = reply.json().get("currentVersion").asLong();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();

        List<Long> sequences = jdbc.queryForList("SELECT sequence_number FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? ORDER BY sequence_number", Long.class, id);
        assertThat(acceptedVersions).doesNotHaveDuplicates();
        assertThat(acceptedVersions).hasSize(sequences.size() - 1);
        assertThat(sequences).containsExactlyElementsOf(LongStream.range(0, sequences.size()).boxed().toList());
        assertThat(acceptedVersions.size() + refusals.size()).isEqualTo(clients * commandsPerClient);
        // the clients without If-Match always apply on the latest state, so they are never refused
        assertThat(acceptedVersions.size()).isGreaterThanOrEqualTo(clients / 2 * commandsPerClient);
    }
}
