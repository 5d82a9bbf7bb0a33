package com.salespipeline.query;

import com.salespipeline.common.kafka.EventTopic;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Makes sure the events topic and its partitions exist before the projections start consuming: a consumer
 * that starts before the topic exists is assigned no partitions and would never see an event. Without a
 * broker the query side has nothing to do, so it refuses to start rather than look healthy and stay empty.
 */
@Component
@ConditionalOnProperty(name = "axon.kafka.fetcher.enabled", havingValue = "true", matchIfMissing = true)
class EventTopicProvisioning {

    EventTopicProvisioning(@Value("${axon.kafka.bootstrap-servers}") String bootstrapServers,
                           @Value("${axon.kafka.default-topic}") String topic,
                           @Value("${pipeline.kafka.partitions:3}") int partitions,
                           @Value("${pipeline.kafka.replication-factor:1}") short replicationFactor,
                           @Value("${pipeline.kafka.startup-timeout:120s}") Duration timeout) {
        if (!EventTopic.ensure(bootstrapServers, topic, partitions, replicationFactor, timeout)) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " was not reachable within " + timeout
                    + "; the query side needs the events topic " + topic);
        }
    }
}
