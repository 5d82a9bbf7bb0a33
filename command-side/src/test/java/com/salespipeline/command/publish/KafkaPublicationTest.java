package com.salespipeline.command.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.command.api.HttpClientSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every stored event reaches the Kafka topic, keyed by contact, in per-contact order, in the documented format. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.datasource.url=jdbc:h2:mem:kafka-publication;DB_CLOSE_DELAY=-1",
                "axon.kafka.publisher.enabled=true"})
@ActiveProfiles("test")
class KafkaPublicationTest {

    static final String TOPIC = "sales-pipeline.contact-events";
    static EmbeddedKafkaKraftBroker broker;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventProcessingConfiguration processing;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        broker = new EmbeddedKafkaKraftBroker(1, 2, TOPIC);
        broker.afterPropertiesSet();
        registry.add("axon.kafka.bootstrap-servers", broker::getBrokersAsString);
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void everyStoredEventIsPublishedKeyedByContactInOrderWithTypeRevisionAndMetadata() throws Exception {
        HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = http.post("/api/contacts", "service-dev-key", "{\"name\":\"K" + i + "\",\"email\":\""
                    + UUID.randomUUID() + "@example.com\",\"source\":\"AD\"}", Map.of("X-Correlation-Id", "kafka-" + i))
                    .json().get("contactId").asText();
            http.post("/api/contacts/" + id + "/engagements", "service-dev-key", "{\"type\":\"CALL_HELD\"}");
            http.post("/api/contacts/" + id + "/qualify", "service-dev-key",
                    "{\"budget\":\"b\",\"authority\":\"a\",\"need\":\"n\",\"timeline\":\"t\"}");
            contacts.add(id);
        }

        List<ConsumerRecord<String, byte[]>> records = consume(15);

        assertThat(records).hasSize(15);
        assertThat(publishedOnceThePublisherIsAtTheStoresHead()).as("records in the topic").isEqualTo(15);
        Map<String, List<Long>> sequences = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(contacts).contains(record.key());
            JsonNode payload = json.readTree(new String(record.value(), StandardCharsets.UTF_8));
            assertThat(payload.get("contactId").asText()).isEqualTo(record.key());
            assertThat(header(record, "axon-message-type")).startsWith("com.salespipeline.events.");
            assertThat(header(record, "axon-message-revision")).isEqualTo(header(record, "axon-message-type").endsWith("LeadCaptured") ? "2" : "1");
            assertThat(header(record, "axon-metadata-actor")).isEqualTo("dev-service");
            assertThat(header(record, "axon-metadata-hash")).hasSize(64);
            sequences.computeIfAbsent(record.key(), k -> new ArrayList<>())
                    .add(java.nio.ByteBuffer.wrap(record.headers().lastHeader("axon-message-aggregate-seq").value()).getLong());
        }
        assertThat(sequences).hasSize(5).allSatisfy((contact, seq) -> assertThat(seq).containsExactly(0L, 1L, 2L));
        ConsumerRecord<String, byte[]> first = records.stream()
                .filter(r -> r.key().equals(contacts.get(0))).findFirst().orElseThrow();
        assertThat(header(first, "axon-message-type")).isEqualTo("com.salespipeline.events.LeadCaptured");
        assertThat(header(first, "axon-metadata-correlationId")).isEqualTo("kafka-0");
    }

    /** Once the publisher's position is at the store's head, the topic holds all it will ever get of these events. */
    long publishedOnceThePublisherIsAtTheStoresHead() throws InterruptedException {
        long head = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        StreamingEventProcessor publisher = processing.eventProcessor(PublicationConfiguration.PUBLISHING_GROUP,
                StreamingEventProcessor.class).orElseThrow();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!publisher.processingStatus().values().stream().allMatch(segment -> segment.getCurrentPosition()
                .orElse(-1) >= head)) {
            assertThat(System.currentTimeMillis()).as("the publisher reached the store's head").isLessThan(deadline);
            Thread.sleep(20);
        }
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static List<ConsumerRecord<String, byte[]>> consume(int expected) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.currentTimeMillis() + 30_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // anything beyond what was sent would be a duplicate
            consumer.poll(Duration.ofMillis(1000)).forEach(records::add);
        }
        return records;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
