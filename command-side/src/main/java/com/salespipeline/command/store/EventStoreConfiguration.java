package com.salespipeline.command.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.command.audit.ChainedEventStorageEngine;
import com.salespipeline.command.audit.HistoryReader;
import com.salespipeline.command.audit.StoredEvents;
import com.salespipeline.command.audit.UnreadableHistory;
import com.salespipeline.common.schema.SchemaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import com.salespipeline.serialization.EventJson;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The event store on Axon's JDBC engine, with tables owned by Flyway (H2 or PostgreSQL), events and
 * metadata as JSON text, snapshots for long histories, and a command bus whose transactions are
 * owned by the group committer rather than by each command.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    public static final EventSchema EVENT_SCHEMA = EventSchema.builder()
            .eventTable("domain_event_entry")
            .snapshotTable("snapshot_event_entry")
            .globalIndexColumn("global_index")
            .eventIdentifierColumn("event_identifier")
            .aggregateIdentifierColumn("aggregate_identifier")
            .sequenceNumberColumn("sequence_number")
            .typeColumn("type")
            .timestampColumn("time_stamp")
            .payloadTypeColumn("payload_type")
            .payloadRevisionColumn("payload_revision")
            .payloadColumn("payload")
            .metaDataColumn("meta_data")
            .build();

    /** The event table's layout, for readers that go to the table directly (the query side's bulk replay). */
    @Bean
    EventSchema eventSchema() {
        return EVENT_SCHEMA;
    }

    @Bean
    CommandSchema commandSchema(DataSource dataSource) {
        return new CommandSchema(SchemaMigration.migrate(dataSource, "command"));
    }

    @Bean
    @Primary
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return EventJson.serializer();
    }

    /** Snapshots hold the aggregate's private fields, which event JSON deliberately does not see. */
    @Bean
    @Qualifier("snapshotSerializer")
    Serializer snapshotSerializer() {
        return snapshotJson();
    }

    /** The snapshot serializer, for tools that write this store outside the app (the benchmark's seeder). */
    public static Serializer snapshotJson() {
        ObjectMapper mapper = EventJson.objectMapper();
        mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    /**
     * The transaction-bound connection, plain. Axon's unit-of-work-aware wrapper would commit (and close)
     * the connection with each command, which would undo the group commit.
     */
    @Bean
    ConnectionProvider connectionProvider(DataSource dataSource) {
        return new SpringDataSourceConnectionProvider(dataSource);
    }

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new JdbcSQLErrorCodesResolver();
    }

    @Bean
    EventStorageEngine eventStorageEngine(CommandSchema schema, ConnectionProvider connectionProvider, JdbcTemplate jdbc,
                                          TransactionManager transactionManager,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          @Qualifier("snapshotSerializer") Serializer snapshotSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          Configuration configuration) {
        // asked at each snapshot read, when every aggregate's filter is configured: Contact's @Revision makes Axon
        // skip snapshots of another revision, but only a storage engine given the filter applies it
        SnapshotFilter snapshotsOfThisCode = snapshot -> configuration.snapshotFilter().allow(snapshot);
        return chainedStorageEngine(connectionProvider, transactionManager, eventSerializer, snapshotSerializer,
                persistenceExceptionResolver, configuration.upcasterChain(), jdbc, snapshotsOfThisCode);
    }

    /**
     * The storage engine as the app builds it; public so that rows written outside the app (the benchmark's
     * seeder) are exactly the rows commands produce, hash chain included.
     */
    public static ChainedEventStorageEngine chainedStorageEngine(ConnectionProvider connectionProvider,
                                                                 TransactionManager transactionManager,
                                                                 Serializer eventSerializer, Serializer snapshotSerializer,
                                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                                 EventUpcaster upcasters, JdbcTemplate jdbc,
                                                                 SnapshotFilter snapshotFilter) {
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .snapshotFilter(snapshotFilter)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(snapshotSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .upcasterChain(upcasters)
                .schema(EVENT_SCHEMA)
                .dataType(String.class);
        return new ChainedEventStorageEngine(builder, eventSerializer, jdbc);
    }

    /** The event store, woken by the group committer after each commit (see {@link CommittedEventStore}). */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    CommittedEventStore eventStore(EventStorageEngine storageEngine, Configuration configuration,
                                   @Value("${pipeline.events.announce-delay-ms:50}") long announceDelayMillis) {
        return new CommittedEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class)), announceDelayMillis);
    }

    @Bean
    HistoryReader historyReader(CommandSchema schema, JdbcTemplate jdbc) {
        return new HistoryReader(new StoredEvents(jdbc));
    }

    @Bean
    TokenStore tokenStore(CommandSchema schema, ConnectionProvider connectionProvider,
                          @Qualifier("eventSerializer") Serializer serializer) {
        return tokenStore(connectionProvider, serializer);
    }

    /** The processors' positions in {@code token_entry}; public for tools that place them (the benchmark). */
    public static JdbcTokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    /**
     * No transaction manager here on purpose: the group committer opens one transaction for a batch of
     * commands and gives each a savepoint, so a command's events are stored with the batch's commit.
     */
    @Bean
    CommandBus commandBus(Configuration configuration, HistoryReader history) {
        SimpleCommandBus bus = SimpleCommandBus.builder().build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(configuration.correlationDataProviders()));
        bus.registerHandlerInterceptor(new UnreadableHistory(history));
        return bus;
    }

    /** Who, why and in which conversation: copied from every command's metadata onto its events. */
    @Bean
    CorrelationDataProvider auditMetaData() {
        return new SimpleCorrelationDataProvider(AuditMetaData.ACTOR, AuditMetaData.CORRELATION_ID,
                AuditMetaData.REASON);
    }

    @Bean
    SnapshotTriggerDefinition contactSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${pipeline.snapshot-threshold:100}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** Marks that the schema is migrated; beans that touch tables take it as a parameter. */
    public record CommandSchema(String vendor) {
    }
}
