package com.salespipeline.query.kafka;

import java.util.List;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.axonframework.extensions.kafka.eventhandling.KafkaMessageConverter;
import org.axonframework.extensions.kafka.eventhandling.consumer.ConsumerFactory;
import org.axonframework.extensions.kafka.eventhandling.consumer.Fetcher;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The topic as the projections and the replay read it: Axon's Kafka source as its auto-configuration builds it,
 * but with records handed out in fetch order ({@link ArrivalOrderBuffer}), so that each record's token claims no
 * record not yet handed out, and with no stream opened before the topic exists ({@link TopicGuardedKafkaSource}).
 * Declared here, the auto-configuration's own source (named the same) is left out.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.kafka.fetcher.enabled", havingValue = "true", matchIfMissing = true)
class KafkaSourceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaSourceConfiguration.class);

    @Bean
    <K, V> StreamableKafkaMessageSource<K, V> streamableKafkaMessageSource(
            KafkaProperties properties, Serializer serializer, ConsumerFactory<K, V> consumerFactory,
            Fetcher<K, V, KafkaEventMessage> fetcher, KafkaMessageConverter<K, V> messageConverter,
            EventTopicReadiness topic) {
        int bufferSize = properties.getFetcher().getBufferSize();
        log.info("the Kafka source hands records out in fetch order, {} at most held", bufferSize);
        StreamableKafkaMessageSource.Builder<K, V> builder = StreamableKafkaMessageSource.<K, V>builder()
                .topics(List.of(properties.getDefaultTopic()))
                .serializer(serializer)
                .consumerFactory(consumerFactory)
                .fetcher(fetcher)
                .messageConverter(messageConverter)
                .bufferFactory(() -> new ArrivalOrderBuffer(bufferSize));
        return new TopicGuardedKafkaSource<>(builder, topic);
    }
}
