package com.salespipeline.command.publish;

import com.salespipeline.common.kafka.EventTopic;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Creates the events topic before the publisher starts. Kafka being away does not stop the command side:
 * commands are still stored, and the publisher delivers them once the broker is back.
 */
@Component
@ConditionalOnProperty(name = "axon.kafka.publisher.enabled", havingValue = "true", matchIfMissing = true)
class EventTopicProvisioning {

    private static final Logger log = LoggerFactory.getLogger(EventTopicProvisioning.class);

    EventTopicProvisioning(@Value("${axon.kafka.bootstrap-servers}") String bootstrapServers,
                           @Value("${axon.kafka.default-topic}") String topic,
                           @Value("${pipeline.kafka.partitions:3}") int partitions,
                           @Value("${pipeline.kafka.replication-factor:1}") short replicationFactor) {
        if (!EventTopic.ensure(bootstrapServers, topic, partitions, replicationFactor, Duration.ofSeconds(15))) {
            log.warn("Kafka at {} is not reachable; commands are accepted and published once it is", bootstrapServers);
        }
    }
}
