package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.time.Clock;
import java.util.function.Supplier;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The replay reads the full history from where the live projection reads it: the Kafka topic in
 * distributed mode (kept with unlimited retention), the event store in the standalone app.
 */
@Configuration(proxyBeanMethods = false)
public class ReplayConfiguration {

    @Bean
    @SuppressWarnings("unchecked")
    ReplayService replayService(ObjectProvider<StreamableKafkaMessageSource<?, ?>> kafka, ObjectProvider<EventStore> store,
                                LifecycleProjection projection, ReadModelGenerations generations,
                                @Qualifier(ReadModelJdbcConfiguration.READ_MODEL) JdbcTemplate readModels,
                                PlatformTransactionManager transactionManager, EventProcessingConfiguration processing,
                                TokenStore tokenStore, ObjectProvider<Clock> clock, @Value("${pipeline.replay.batch-size:1000}") int batchSize) {
        Supplier<StreamableMessageSource<TrackedEventMessage<?>>> history = () -> kafka.getIfAvailable() != null
                ? (StreamableMessageSource<TrackedEventMessage<?>>) (StreamableMessageSource<?>) kafka.getIfAvailable()
                : store.getIfAvailable();
        return new ReplayService(history, projection, generations, readModels, transactionManager, processing,
                tokenStore, clock.getIfAvailable(Clock::systemUTC), batchSize);
    }
}
