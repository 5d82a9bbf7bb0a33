package com.salespipeline.command.publish;

import org.axonframework.config.EventProcessingConfigurer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;

/**
 * Tunes the processor that publishes stored events to Kafka (registered by Axon's Kafka extension):
 * batches of events per transaction instead of one, and a single segment so that the topic receives
 * events in store order.
 */
@Configuration(proxyBeanMethods = false)
public class PublicationConfiguration {

    /** The processing group of Axon's Kafka publisher. */
    public static final String PUBLISHING_GROUP = "__axon-kafka-event-publishing-group";

    @Autowired
    void tunePublisher(EventProcessingConfigurer processing,
                       @Value("${pipeline.kafka.publish-batch-size:100}") int batchSize) {
        processing.registerPooledStreamingEventProcessorConfiguration(PUBLISHING_GROUP,
                (configuration, builder) -> builder.batchSize(batchSize).initialSegmentCount(1));
    }
}
