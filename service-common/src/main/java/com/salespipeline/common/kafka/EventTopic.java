package com.salespipeline.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events topic, created with its partitions before anything produces to or consumes from it. A
 * consumer that starts before the topic exists is assigned no partitions and would wait forever; an
 * auto-created topic gets whatever partition count the broker defaults to.
 */
public final class EventTopic {

    private static final Logger log = LoggerFactory.getLogger(EventTopic.class);

    private EventTopic() {
    }

    /**
     * Creates the topic if it is missing and waits until all its partitions are known.
     *
     * @return whether the topic is ready; false when the broker could not be reached within {@code timeout}
     */
    public static boolean ensure(String bootstrapServers, String topic, int partitions, short replicationFactor,
                                 Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.listTopics().names().get(5, TimeUnit.SECONDS).contains(topic)) {
                        create(admin, topic, partitions, replicationFactor);
                    }
                    TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                            .get(5, TimeUnit.SECONDS).get(topic);
                    if (description != null && !description.partitions().isEmpty()
                            && description.partitions().stream().allMatch(p -> p.leader() != null)) {
                        log.info("Kafka topic {} ready with {} partitions", topic, description.partitions().size());
                        return true;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.info("Kafka topic {} not ready yet: {}", topic, e.getMessage());
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void create(Admin admin, String topic, int partitions, short replicationFactor)
            throws InterruptedException, java.util.concurrent.TimeoutException, ExecutionException {
        try {
            // the topic is the query side's history: a replay reads it from the beginning, so nothing expires
            NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor).configs(Map.of("retention.ms", "-1"));
            admin.createTopics(List.of(newTopic)).all().get(10, TimeUnit.SECONDS);
            log.info("created Kafka topic {} with {} partitions", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
