package com.salespipeline.query.deadletter;

import com.salespipeline.query.lifecycle.LifecycleProjection;
import com.salespipeline.query.lifecycle.QuerySchema;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Parks the events of a contact that the read models cannot apply, so that every other contact keeps
 * flowing: Axon's sequenced dead-letter queue, one sequence per contact, in table {@code dead_letter_entry}
 * next to the read models. Once a contact has a parked event, its later events are parked behind it in order
 * until an administrator retries them ({@link DeadLetterController}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "pipeline.projections.dead-letters.enabled", havingValue = "true", matchIfMissing = true)
public class DeadLetterConfiguration {

    static final String TABLE = "dead_letter_entry";

    @Bean
    ConfigurerModule pipelineProjectionsParkPoisonEvents(QuerySchema schema, DataSource dataSource,
                                                         @Qualifier("eventSerializer") Serializer eventSerializer,
                                                         Serializer serializer) {
        String group = LifecycleProjection.PROCESSING_GROUP;
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerSequencingPolicy(group, configuration -> new PerContactSequencingPolicy())
                .registerDeadLetterQueue(group, configuration -> JdbcSequencedDeadLetterQueue.builder()
                        .processingGroup(group)
                        // the plain provider hands out the processor transaction's connection: a parked event
                        // and the processor's token commit together
                        .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                        .transactionManager(configuration.getComponent(TransactionManager.class))
                        .schema(schema())
                        .eventSerializer(eventSerializer)
                        .genericSerializer(serializer)
                        .build())
                .registerDeadLetterPolicy(group, configuration -> new ParkUnlessTransient())
                // without the cache every event costs a query "is this contact parked?"
                .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                        (configuration, builder) -> builder.enableSequenceIdentifierCache()));
    }

    @Bean
    DeadLetterPresence pipelineProjectionsDeadLetterPresence(DataSource dataSource) {
        return new DeadLetterPresence(dataSource);
    }

    /** How many events are parked: alert on anything above zero. */
    @Bean
    MeterBinder pipelineProjectionsDeadLetters(DataSource dataSource, QuerySchema schema) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return meters -> Gauge.builder("pipeline.projections.dead.letters", jdbc, template -> template.queryForObject(
                        "SELECT COUNT(*) FROM " + TABLE + " WHERE processing_group = ?", Long.class,
                        LifecycleProjection.PROCESSING_GROUP))
                .description("events parked because the read models could not apply them (or an earlier event of"
                        + " the same contact)")
                .tag("group", LifecycleProjection.PROCESSING_GROUP)
                .register(meters);
    }

    static DeadLetterSchema schema() {
        return DeadLetterSchema.builder()
                .deadLetterTable(TABLE)
                .deadLetterIdentifierColumn("dead_letter_id")
                .processingGroupColumn("processing_group")
                .sequenceIdentifierColumn("sequence_identifier")
                .sequenceIndexColumn("sequence_index")
                .messageTypeColumn("message_type")
                .eventIdentifierColumn("event_identifier")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .aggregateTypeColumn("aggregate_type")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .tokenTypeColumn("token_type")
                .tokenColumn("token")
                .enqueuedAtColumn("enqueued_at")
                .lastTouchedColumn("last_touched")
                .processingStartedColumn("processing_started")
                .causeTypeColumn("cause_type")
                .causeMessageColumn("cause_message")
                .diagnosticsColumn("diagnostics")
                .build();
    }

    /** For the controller: the queue as the processing configuration built it. */
    static SequencedDeadLetterQueue<EventMessage<?>> queue(org.axonframework.config.EventProcessingConfiguration processing) {
        return processing.deadLetterQueue(LifecycleProjection.PROCESSING_GROUP)
                .orElseThrow(() -> new IllegalStateException("no dead-letter queue for "
                        + LifecycleProjection.PROCESSING_GROUP));
    }
}
