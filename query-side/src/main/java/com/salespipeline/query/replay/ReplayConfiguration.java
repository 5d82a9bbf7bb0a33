package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.LifecycleProjection;
import java.time.Clock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.StreamableKafkaMessageSource;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The replay reads the full history from where the live projection reads it: the Kafka topic in
 * distributed mode (kept with unlimited retention), the event store in the standalone app. From the event
 * store it first loads in bulk, straight from the event table whose layout the command side publishes as an
 * {@link EventSchema} bean (in the same database as the read models).
 */
@Configuration(proxyBeanMethods = false)
public class ReplayConfiguration {

    @Bean
    @SuppressWarnings("unchecked")
    ReplayService replayService(ObjectProvider<StreamableKafkaMessageSource<?, ?>> kafka, ObjectProvider<EventStore> store,
                                ObjectProvider<EventSchema> eventSchema, ObjectProvider<BaseRowsLoaded> baseRowsLoaded,
                                ObjectProvider<org.axonframework.config.Configuration> axon, DataSource dataSource,
                                LifecycleProjection projection, ReadModelGenerations generations,
                                @Qualifier(ReadModelJdbcConfiguration.READ_MODEL) JdbcTemplate readModels,
                                PlatformTransactionManager transactionManager, EventProcessingConfiguration processing,
                                TokenStore tokenStore, ObjectProvider<Clock> clock,
                                @Value("${pipeline.replay.batch-size:1000}") int batchSize,
                                @Value("${pipeline.replay.bulk.contacts-per-commit:2000}") int contactsPerCommit,
                                @Value("${pipeline.replay.bulk.batch-rows:2000}") int batchRows,
                                @Value("${pipeline.replay.bulk.fetch-size:2000}") int fetchSize,
                                @Value("${pipeline.replay.bulk.keep-aggregate-indexes-from-contacts:"
                                        + SecondaryIndexes.KEEP_UP_FROM_CONTACTS + "}") long keepIndexesFrom) {
        Supplier<StreamableMessageSource<TrackedEventMessage<?>>> history = () -> kafka.getIfAvailable() != null
                ? (StreamableMessageSource<TrackedEventMessage<?>>) (StreamableMessageSource<?>) kafka.getIfAvailable()
                : store.getIfAvailable();
        // resolved when a replay starts: asking for Axon's configuration while beans are still being created
        // would build it before every ConfigurerModule has been registered
        Supplier<EventStoreBulkLoad> bulkLoad = () -> kafka.getIfAvailable() != null || store.getIfAvailable() == null
                || eventSchema.getIfAvailable() == null ? null
                : new EventStoreBulkLoad(dataSource, eventSchema.getObject(), axon.getObject().eventSerializer(),
                axon.getObject().upcasterChain(),
                generations, readModels, new TransactionTemplate(transactionManager), contactsPerCommit, batchRows,
                fetchSize, 10_000, keepIndexesFrom);
        return new ReplayService(history, bulkLoad, baseRowsLoaded.getIfAvailable(() -> BaseRowsLoaded.NOTHING),
                projection, generations, readModels, transactionManager, processing, tokenStore,
                clock.getIfAvailable(Clock::systemUTC), batchSize);
    }
}
