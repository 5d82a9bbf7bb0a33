package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.salespipeline.command.api.HttpClientSupport;
import com.salespipeline.command.api.HttpClientSupport.Reply;
import com.salespipeline.query.lifecycle.ReportAggregates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A replay rebuilds the read models from the whole history while commands keep arriving and reports keep
 * being read: reports come from the live model throughout, and the rebuilt model takes over complete.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReplayWhileServingTest {

    static final String SERVICE = "service-dev-key";
    static final String ANALYST = "analyst-dev-key";
    static final String ADMIN = "admin-dev-key";
    static final List<String> TABLES = List.of("read_contact", "read_stage_visit", "read_owner_period", "read_opportunity",
            "read_cohort_count", "read_cohort_month_change", "read_duration_bucket", "read_duration_period",
            "read_duration_captured");

    @TempDir
    Path dataDir;

    /**
     * @param keepIndexesFrom the history's size from which H2 keeps the aggregates' indexes up while the bulk load
     *                        writes them: 0 for that path, the default (half a million) for building them after
     */
    @ParameterizedTest(name = "aggregate indexes kept up from {0} contacts")
    @ValueSource(strings = {"0", "500000"})
    void reportsComeFromTheLiveModelDuringAReplayAndTheRebuiltModelTakesOverComplete(String keepIndexesFrom,
                                                                                     CapturedOutput output)
            throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(StandaloneApplication.class)
                .run("--server.port=0", "--PIPELINE_DATA_DIR=" + dataDir, "--pipeline.replay.batch-size=50",
                        "--pipeline.replay.bulk.keep-aggregate-indexes-from-contacts=" + keepIndexesFrom)) {
            HttpClientSupport http = new HttpClientSupport("http://localhost:"
                    + ((WebServerApplicationContext) app).getWebServer().getPort());
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            List<String> indexesAsMigrated = secondaryIndexes(jdbc);
            assertThat(indexesAsMigrated).anyMatch(index -> index.startsWith("READ_COHORT_COUNT_B ("));
            storeARevision1Lead(jdbc);
            for (int i = 0; i < 150; i++) {
                String id = capture(http, "before");
                if (i % 3 == 0) {
                    send(http, id, "mark-mql", "{\"score\":60}");
                }
                if (i % 5 == 0) {
                    send(http, id, "disqualify", "{\"reason\":\"NO_NEED\"}");
                }
            }
            String deal = capture(http, "deal");
            send(http, deal, "engagements", "{\"type\":\"DEMO_HELD\"}");
            send(http, deal, "qualify", "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}");
            send(http, deal, "convert", "{\"opportunityName\":\"Deal\",\"amount\":\"10\",\"currency\":\"EUR\"}");
            send(http, deal, "close-won", "{}");
            awaitLeads(http, "before", 150);
            awaitLeads(http, "legacy", 1);
            JsonNode before = funnel(http, "before");

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sentDuring = new AtomicInteger();
            List<Long> leadsSeenDuring = Collections.synchronizedList(new ArrayList<>());
            Thread writer = new Thread(() -> {
                while (running.get()) {
                    capture(http, "during");
                    sentDuring.incrementAndGet();
                }
            });
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    leadsSeenDuring.add(funnel(http, "before").at("/stages/0/reached").asLong());
                }
            });
            writer.start();
            reader.start();
            Reply started = http.post("/api/admin/replay", ADMIN, "{}");
            List<String> states = new ArrayList<>();
            JsonNode status = awaitIdle(http, states);
            running.set(false);
            writer.join();
            reader.join();

            assertThat(started.status()).as(started.text()).isEqualTo(202);
            assertThat(states).contains("RUNNING");
            assertThat(status.get("failure").isNull()).as(status.toString()).isTrue();
            assertThat(status.get("generation").asText()).isEqualTo("b");
            assertThat(status.get("processed").asLong()).isGreaterThanOrEqualTo(status.get("total").asLong());
            // never a half-built model: every read during the replay saw all 150 leads
            assertThat(leadsSeenDuring).isNotEmpty().allSatisfy(leads -> assertThat(leads).isEqualTo(150));
            awaitLeads(http, "during", sentDuring.get());
            JsonNode after = funnel(http, "before");
            assertThat(after.get("stages")).isEqualTo(before.get("stages"));
            assertThat(after.get("exits")).isEqualTo(before.get("exits"));
            assertThat(counts(funnel(http, "before"), "reached")).containsExactly(150L, 50L, 0L, 0L, 0L, 0L);
            assertThat(funnel(http, "before").at("/exits/DISQUALIFIED").asLong()).isEqualTo(30);
            assertThat(counts(funnel(http, "before"), "reached")).isEqualTo(naiveReached(jdbc, "before"));
            assertThat(funnel(http, "legacy").at("/stages/0/reached").asLong()).isEqualTo(1);
            assertThat(http.post("/api/admin/replay", ANALYST, "{}").status()).isEqualTo(403);
            // refused by its Accept header, a replay starts nothing (it used to start, then answer 406)
            JsonNode idle = http.get("/api/admin/replay", ADMIN).json();
            Reply refused = http.post("/api/admin/replay", ADMIN, "{}", java.util.Map.of("Accept", "text/csv"));
            assertThat(refused.status()).as(refused.text()).isEqualTo(406);
            assertThat(http.get("/api/admin/replay", ADMIN).json()).as("nothing started").isEqualTo(idle);

            // a second replay rebuilds generation a from the same history: row for row what b holds
            assertThat(http.post("/api/admin/replay", ADMIN, "{}").status()).isEqualTo(202);
            assertThat(awaitIdle(http, new ArrayList<>()).get("generation").asText()).isEqualTo("a");
            for (String table : TABLES) {
                String order = switch (table) {
                    case "read_contact" -> "contact_id";
                    case "read_cohort_count" -> "span, source_key, campaign_key, owner_key, captured_day";
                    case "read_duration_bucket" -> "source_key, campaign_key, owner_key, stage, digits, bucket";
                    case "read_duration_period" -> "stage, digits, bucket, ended_period";
                    case "read_duration_captured" -> "captured_day, stage, bucket";
                    case "read_cohort_month_change" -> "changed_day, captured_month";
                    default -> "1, 2";
                };
                assertThat(jdbc.queryForList("SELECT * FROM " + table + " ORDER BY " + order))
                        .as(table).hasSizeGreaterThan(0)
                        .isEqualTo(jdbc.queryForList("SELECT * FROM " + table + "_b ORDER BY " + order));
            }
            // a bulk load drops the secondary indexes of the generation it builds and builds them again
            assertThat(secondaryIndexes(jdbc)).isEqualTo(indexesAsMigrated);
            assertThat(output.getOut().contains("writing the report aggregates and keeping up their 2 indexes"))
                    .as("the aggregates' indexes kept up while written").isEqualTo(keepIndexesFrom.equals("0"));

            // the aggregates the bulk load added up from the folded contacts are what the rebuild from the rows makes
            List<String> replayed = aggregateRows(jdbc);
            new TransactionTemplate(app.getBean(PlatformTransactionManager.class)).executeWithoutResult(tx ->
                    new ReportAggregates(jdbc).rebuildFromRows());
            assertThat(replayed).hasSizeGreaterThan(100).isEqualTo(aggregateRows(jdbc));
        }
    }

    /**
     * The cumulative funnel of one campaign recomputed from the stored events alone, deliberately naively:
     * a contact reached a stage if any of its events moved it there or to a later funnel stage.
     */
    static List<Long> naiveReached(JdbcTemplate jdbc, String campaign) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Integer> furthest = new java.util.HashMap<>();
        java.util.Set<String> cohort = new java.util.HashSet<>();
        List<String> funnelStages = List.of("LEAD", "MQL", "PROSPECT", "OPPORTUNITY", "CUSTOMER", "ADVOCATE");
        for (Map<String, Object> row : jdbc.queryForList("SELECT aggregate_identifier, payload FROM domain_event_entry")) {
            JsonNode payload = json.readTree((String) row.get("payload"));
            String contact = (String) row.get("aggregate_identifier");
            if (campaign.equals(payload.path("campaign").asText(null)) && payload.has("source")) {
                cohort.add(contact);
            }
            int stage = funnelStages.indexOf(payload.path("toStage").asText(""));
            furthest.merge(contact, stage, Math::max);
        }
        List<Long> reached = new ArrayList<>();
        for (int stage = 0; stage < funnelStages.size(); stage++) {
            int s = stage;
            reached.add(cohort.stream().filter(contact -> furthest.getOrDefault(contact, -1) >= s).count());
        }
        return reached;
    }

    /** Every row of generation a's aggregate tables as text, sorted; change rows that add nothing left out. */
    static List<String> aggregateRows(JdbcTemplate jdbc) {
        List<String> rows = new ArrayList<>();
        for (String table : List.of("read_cohort_count", "read_cohort_month_change", "read_duration_bucket",
                "read_duration_period", "read_duration_captured", "read_report_watermark")) {
            String where = table.equals("read_cohort_count") ? " WHERE NOT (" + ReportAggregates.EMPTY_CHANGE + ")"
                    : table.equals("read_cohort_month_change") ? " WHERE NOT (" + ReportAggregates.NO_COUNTS + ")" : "";
            jdbc.queryForList("SELECT * FROM " + table + where).forEach(row -> rows.add(table + " " + row));
        }
        return rows.stream().sorted().toList();
    }

    /** Each non-unique index of the read-model tables of both generations: its table and columns, sorted. */
    static List<String> secondaryIndexes(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT i.TABLE_NAME || ' (' || LISTAGG(c.COLUMN_NAME, ', ') WITHIN GROUP"
                + " (ORDER BY c.ORDINAL_POSITION) || ')' FROM INFORMATION_SCHEMA.INDEXES i JOIN"
                + " INFORMATION_SCHEMA.INDEX_COLUMNS c ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                + " WHERE i.INDEX_TYPE_NAME = 'INDEX' AND i.TABLE_NAME LIKE 'READ\\_%'"
                + " GROUP BY i.TABLE_NAME, i.INDEX_NAME", String.class).stream().sorted().toList();
    }

    /** A lead as the first release stored it: LeadCaptured revision 1, with a single name. */
    static void storeARevision1Lead(JdbcTemplate jdbc) throws IOException {
        String payload;
        try (InputStream in = ReplayWhileServingTest.class.getResourceAsStream("/contract/v1/LeadCaptured.json")) {
            payload = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("spring-launch", "legacy");
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                        + " time_stamp, payload_type, payload_revision, payload, meta_data) VALUES (?, ?, 0, 'Contact',"
                        + " '2026-03-01T09:30:01.000Z', 'com.salespipeline.events.LeadCaptured', '1', ?, '{\"actor\":\"import\"}')",
                UUID.randomUUID().toString(), id, payload.replace("7b1e6a52-0c1d-4f6e-9a51-3f1f0a1c2d01", id));
    }

    static String capture(HttpClientSupport http, String campaign) {
        Reply reply = http.post("/api/contacts", SERVICE, "{\"name\":\"Replay Test\",\"email\":\"" + UUID.randomUUID()
                + "@example.com\",\"source\":\"SOCIAL\",\"campaign\":\"" + campaign + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("contactId").asText();
    }

    static void send(HttpClientSupport http, String id, String action, String body) {
        assertThat(http.post("/api/contacts/" + id + "/" + action, SERVICE, body).status()).isEqualTo(200);
    }

    static JsonNode funnel(HttpClientSupport http, String campaign) {
        return http.get("/api/reports/funnel?campaign=" + campaign, ANALYST).json();
    }

    static void awaitLeads(HttpClientSupport http, String campaign, long expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (funnel(http, campaign).at("/stages/0/reached").asLong() != expected) {
            assertThat(System.currentTimeMillis()).as("projection caught up with " + campaign).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    static JsonNode awaitIdle(HttpClientSupport http, List<String> states) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JsonNode status = http.get("/api/admin/replay", ADMIN).json();
            states.add(status.get("state").asText());
            if (status.get("state").asText().equals("IDLE") && !status.get("finishedAt").isNull()) {
                return status;
            }
            assertThat(System.currentTimeMillis()).as("replay finished").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static List<Long> counts(JsonNode report, String field) {
        List<Long> counts = new ArrayList<>();
        report.get("stages").forEach(stage -> counts.add(stage.get(field).asLong()));
        return counts;
    }

}
