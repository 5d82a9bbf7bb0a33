package com.salespipeline.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespipeline.common.schema.SchemaMigration;
import com.salespipeline.command.store.EventStoreConfiguration;
import com.salespipeline.events.AdvocacyReason;
import com.salespipeline.events.ContactEvent;
import com.salespipeline.events.CustomerBecameAdvocate;
import com.salespipeline.events.LeadCaptured;
import com.salespipeline.events.LeadConverted;
import com.salespipeline.events.LeadMarketingQualified;
import com.salespipeline.events.LeadQualified;
import com.salespipeline.events.LeadSource;
import com.salespipeline.events.Money;
import com.salespipeline.events.OpportunityLost;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.OwnerAssigned;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.FoldedRebuild;
import com.salespipeline.query.lifecycle.ReportAggregates;
import com.salespipeline.query.replay.EventStoreBulkLoad;
import com.salespipeline.query.replay.GenerationRoutingDataSource;
import com.salespipeline.query.replay.ReadModelGenerations;
import com.salespipeline.serialization.EventJson;
import com.salespipeline.serialization.upcasting.LeadCapturedNameSplitUpcaster;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: measures the bulk replay against a baseline that only reads the same events from the event
 * store and deserialises them (global order, same serializer and upcasters), and prints events/s and the
 * ratio. The history (valid contact walks, contacts interleaved, a few LeadCaptured at revision 1) is
 * generated once into an H2 file or an embedded PostgreSQL data directory under {@code probe.replay.dir}
 * and reused by later runs with the same size. Run (H2, then PostgreSQL):
 * <pre>
 * ./mvnw -o -pl standalone -am verify -DskipITs -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ReplayThroughputProbe \
 *   -DargLine="-Xmx512m -Dprobe.replay.contacts=1000000 -Dprobe.replay.db=h2 -Dprobe.replay.dir=/tmp/replay-probe"
 * </pre>
 * Results in standalone/target/surefire-reports/*ReplayThroughputProbe-output.txt. {@link #main} runs the
 * same with the same system properties, from a test classpath, without Maven around it.
 */
@EnabledIfSystemProperty(named = "probe.replay.contacts", matches = "\\d+")
class ReplayThroughputProbe {

    private static final EventSchema SCHEMA = EventStoreConfiguration.EVENT_SCHEMA;
    private static final int BLOCK = 2_000;

    public static void main(String[] args) throws Exception {
        new ReplayThroughputProbe().probe();
    }

    @Test
    void probe() throws Exception {
        int contacts = Integer.getInteger("probe.replay.contacts");
        String db = System.getProperty("probe.replay.db", "h2");
        Path dir = Path.of(System.getProperty("probe.replay.dir", "target/replay-probe")).resolve(db + "-" + contacts);
        Files.createDirectories(dir);
        EmbeddedPostgres postgres = null;
        HikariDataSource dataSource = new HikariDataSource();
        if (db.equals("postgres")) {
            postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pgdata")).setCleanDataDirectory(false)
                    .start();
            dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            dataSource.setUsername("postgres");
        } else {
            dataSource.setJdbcUrl("jdbc:h2:file:" + dir.toAbsolutePath() + "/pipeline;WRITE_DELAY=0");
            dataSource.setUsername("sa");
        }
        try (dataSource) {
            SchemaMigration.migrate(dataSource, "command");
            SchemaMigration.migrate(dataSource, "query");
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            long stored = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
            if (stored == 0) {
                long t0 = System.nanoTime();
                stored = generate(dataSource, contacts);
                System.out.printf("generated %d contacts, %d events in %d s%n", contacts, stored,
                        (System.nanoTime() - t0) / 1_000_000_000);
                if (db.equals("postgres")) {
                    jdbc.execute("VACUUM ANALYZE domain_event_entry");
                }
            }
            Serializer serializer = EventJson.serializer();
            EventUpcasterChain upcasters = new EventUpcasterChain(new LeadCapturedNameSplitUpcaster());
            System.out.printf("%s, %d contacts, %d events, max heap %d MB%n", db, contacts, stored,
                    Runtime.getRuntime().maxMemory() >> 20);

            double baseline = 0;
            for (int round = 1; round <= 2; round++) {
                long t0 = System.nanoTime();
                long read = baseline(dataSource, serializer, upcasters, "global_index");
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(read).isEqualTo(stored);
                System.out.printf("baseline %d (read + deserialise, global order): %d events in %.1f s = %.0f events/s%n",
                        round, read, seconds, read / seconds);
                baseline = Math.max(baseline, read / seconds);
            }

            if (Boolean.getBoolean("probe.replay.sorted-baseline")) {
                long t0 = System.nanoTime();
                long read = baseline(dataSource, serializer, upcasters, "aggregate_identifier, sequence_number");
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("sorted read + deserialise, no fold: %d events in %.1f s = %.0f events/s%n", read,
                        seconds, read / seconds);
            }

            ReadModelGenerations generations = new ReadModelGenerations(jdbc);
            String target = generations.inactive();
            JdbcTemplate routed = new JdbcTemplate(new GenerationRoutingDataSource(dataSource, generations));
            JdbcTransactionManager transactions = new JdbcTransactionManager(dataSource);
            EventStoreBulkLoad bulk = new EventStoreBulkLoad(dataSource, SCHEMA, serializer, upcasters, generations,
                    routed, new TransactionTemplate(transactions), Integer.getInteger("probe.replay.contacts-per-commit", 2000),
                    Integer.getInteger("probe.replay.batch-rows", 2000), 2000, 10_000);
            for (int round = 1; round <= Integer.getInteger("probe.replay.rounds", 1); round++) {
                long t0 = System.nanoTime();
                generations.on(target, () -> {
                    for (String table : List.of("read_contact", "read_stage_visit", "read_owner_period", "read_opportunity",
                            "read_cohort_count", "read_cohort_month_change", "read_duration_bucket",
                            "read_duration_period", "read_duration_captured", "read_report_watermark")) {
                        routed.execute("TRUNCATE TABLE " + table);
                    }
                    return null;
                });
                AtomicLong applied = new AtomicLong();
                // with -Dprobe.replay.aggregates=true the report aggregates too, as the app's replay writes them
                GapAwareTrackingToken token;
                try (FoldedRebuild derived = Boolean.getBoolean("probe.replay.aggregates")
                        ? new ReportAggregates(routed, new TransactionTemplate(transactions)).rebuildFromFoldedContacts()
                        : FoldedRebuild.NONE) {
                    token = bulk.load(target, applied::addAndGet, derived);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("bulk replay %d into generation %s: %d events in %.1f s = %.0f events/s, ratio %.2f"
                                + " (token index %d, %d gaps)%n", round, target, applied.get(), seconds,
                        applied.get() / seconds, applied.get() / seconds / baseline, token.getIndex(), token.getGaps().size());
                assertThat(applied.get()).isEqualTo(stored);
                String suffix = target.equals("a") ? "" : "_" + target;
                assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM read_contact" + suffix, Long.class))
                        .isEqualTo(contacts);
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    /** Every event in global order, upcast and deserialised as the event store does; nothing else. */
    private static long baseline(DataSource dataSource, Serializer serializer, EventUpcaster upcasters, String order)
            throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            boolean h2 = connection.getMetaData().getDatabaseProductName().equals("H2");
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            if (h2) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET LAZY_QUERY_EXECUTION TRUE");
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT global_index, type, aggregate_identifier,"
                    + " sequence_number, event_identifier, time_stamp, payload_type, payload_revision, payload, meta_data"
                    + " FROM domain_event_entry ORDER BY " + order)) {
                query.setFetchSize(2000);
                try (ResultSet rows = query.executeQuery()) {
                    var stored = new java.util.Iterator<DomainEventData<?>>() {
                        Boolean next;

                        @Override
                        public boolean hasNext() {
                            try {
                                return next != null ? next : (next = rows.next());
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }

                        @Override
                        public DomainEventData<?> next() {
                            hasNext();
                            next = null;
                            try {
                                rows.getLong(1);
                                return new GenericDomainEventEntry<>(rows.getString(2), rows.getString(3), rows.getLong(4),
                                        rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                                        rows.getString(9), rows.getString(10));
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    };
                    DomainEventStream events = EventStreamUtils.upcastAndDeserializeDomainEvents(
                            StreamSupport.stream(Spliterators.spliteratorUnknownSize(stored, Spliterator.ORDERED), false),
                            serializer, upcasters);
                    long count = 0;
                    while (events.hasNext()) {
                        if (events.next().getPayload() instanceof ContactEvent) {
                            count++;
                        }
                    }
                    return count;
                }
            } finally {
                if (h2) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SET LAZY_QUERY_EXECUTION FALSE");
                    }
                }
                connection.rollback();
            }
        }
    }

    // ---- generating the history

    /**
     * Valid walks of {@code contacts} contacts (1 to 6 stage events, an owner change now and then), stored
     * in the event store's format; contacts are interleaved block by block, as many writers would store them.
     */
    private static long generate(DataSource dataSource, int contacts) throws Exception {
        Serializer serializer = EventJson.serializer();
        ObjectMapper json = EventJson.objectMapper();
        Random random = new Random(42);
        Instant base = Instant.parse("2024-01-01T00:00:00Z");
        long events = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO domain_event_entry (event_identifier,"
                    + " aggregate_identifier, sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
                    + " meta_data) VALUES (?, ?, ?, 'Contact', ?, ?, ?, ?, ?)")) {
                for (int first = 0; first < contacts; first += BLOCK) {
                    List<List<ContactEvent>> block = new ArrayList<>();
                    for (int i = first; i < Math.min(contacts, first + BLOCK); i++) {
                        block.add(walk(random, base));
                    }
                    int[] next = new int[block.size()];
                    List<Integer> open = new ArrayList<>();
                    for (int i = 0; i < block.size(); i++) {
                        open.add(i);
                    }
                    while (!open.isEmpty()) {
                        int pick = random.nextInt(open.size());
                        int contact = open.get(pick);
                        ContactEvent event = block.get(contact).get(next[contact]);
                        store(insert, serializer, json, random, event, next[contact]);
                        events++;
                        if (++next[contact] == block.get(contact).size()) {
                            open.set(pick, open.get(open.size() - 1));
                            open.remove(open.size() - 1);
                        }
                    }
                    insert.executeBatch();
                    connection.commit();
                }
            }
        }
        return events;
    }

    private static List<ContactEvent> walk(Random random, Instant base) {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        Instant t = base.plus(Duration.ofSeconds(random.nextInt(365 * 24 * 3600)));
        String owner = "o" + random.nextInt(50);
        List<ContactEvent> events = new ArrayList<>();
        events.add(new LeadCaptured(id, "Ada", "Lovelace " + random.nextInt(1000), id + "@example.com", null,
                "Company " + random.nextInt(10_000), null, LeadSource.values()[random.nextInt(10)],
                "c" + random.nextInt(20), owner, null, Stage.LEAD, t));
        if (random.nextInt(10) == 0) {
            events.add(new OwnerAssigned(id, "o" + random.nextInt(50), owner, t = later(random, t)));
        }
        int depth = random.nextInt(6);
        Money amount = new Money(new BigDecimal("1200.00"), "EUR");
        UUID opportunity = new UUID(random.nextLong(), random.nextLong());
        if (depth > 0) {
            events.add(new LeadMarketingQualified(id, 70, Stage.LEAD, Stage.MQL, t = later(random, t)));
        }
        if (depth > 1) {
            events.add(new LeadQualified(id, "50k", "CTO", "reporting", "Q3", Stage.MQL, Stage.PROSPECT,
                    t = later(random, t)));
        }
        if (depth > 2) {
            events.add(new LeadConverted(id, opportunity, "Deal", amount, null, null, Stage.PROSPECT,
                    Stage.OPPORTUNITY, t = later(random, t)));
        }
        if (depth > 3) {
            if (random.nextBoolean()) {
                events.add(new OpportunityWon(id, opportunity, amount, false, Stage.OPPORTUNITY, Stage.CUSTOMER,
                        t = later(random, t)));
                if (depth > 4) {
                    events.add(new CustomerBecameAdvocate(id, AdvocacyReason.REFERRED, Stage.CUSTOMER, Stage.ADVOCATE,
                            later(random, t)));
                }
            } else {
                events.add(new OpportunityLost(id, opportunity, "price", false, Stage.OPPORTUNITY, Stage.LOST,
                        later(random, t)));
            }
        }
        return events;
    }

    private static Instant later(Random random, Instant t) {
        return t.plusSeconds(random.nextInt(100_000)).plusMillis(random.nextInt(1000));
    }

    /** One row as the command side stores it; one capture in twenty as the first release stored it (revision 1). */
    private static void store(PreparedStatement insert, Serializer serializer, ObjectMapper json, Random random,
                              ContactEvent event, long sequence) throws Exception {
        SerializedObject<String> payload = serializer.serialize(event, String.class);
        String revision = payload.getType().getRevision();
        String data = payload.getData();
        if (event instanceof LeadCaptured captured && random.nextInt(20) == 0) {
            ObjectNode v1 = (ObjectNode) json.readTree(data);
            v1.remove("givenName");
            v1.remove("familyName");
            v1.put("name", captured.name());
            data = json.writeValueAsString(v1);
            revision = "1";
        }
        byte[] hash = new byte[32];
        random.nextBytes(hash);
        insert.setString(1, new UUID(random.nextLong(), random.nextLong()).toString());
        insert.setString(2, event.contactId().toString());
        insert.setLong(3, sequence);
        insert.setString(4, Instant.now().toString());
        insert.setString(5, payload.getType().getName());
        insert.setString(6, revision);
        insert.setString(7, data);
        insert.setString(8, "{\"actor\":\"dev-service\",\"correlationId\":\"" + UUID.randomUUID() + "\",\"hash\":\""
                + HexFormat.of().formatHex(hash) + "\"}");
        insert.addBatch();
    }
}
