package com.salespipeline.benchmarks.seed;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.command.audit.ChainedEventStorageEngine;
import com.salespipeline.command.store.EventStoreConfiguration;
import com.salespipeline.serialization.EventJson;
import com.salespipeline.serialization.upcasting.LeadCapturedNameSplitUpcaster;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The app's event store, token store and serializers, built outside Spring exactly as the command side's
 * {@link EventStoreConfiguration} builds them (its bean methods are not reachable from here): the same
 * {@link ChainedEventStorageEngine}, schema, {@link EventJson} serializer, upcasters and token table.
 * Whatever this writes is what a command would have written.
 */
public final class AppEventStore {

    /** The {@code type} column of every contact event: the aggregate type name that Axon records for commands. */
    public static final String AGGREGATE_TYPE = "Contact";

    public final DataSource dataSource;
    public final JdbcTemplate jdbc;
    public final TransactionTemplate transactions;
    public final Serializer eventSerializer;
    public final JdbcEventStorageEngine engine;
    public final JdbcTokenStore tokenStore;

    public AppEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        JdbcTransactionManager springTransactions = new JdbcTransactionManager(dataSource);
        this.transactions = new TransactionTemplate(springTransactions);
        this.eventSerializer = EventJson.serializer();
        ConnectionProvider connections = new SpringDataSourceConnectionProvider(dataSource);
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .connectionProvider(connections)
                .transactionManager(new SpringTransactionManager(springTransactions))
                .eventSerializer(eventSerializer)
                .snapshotSerializer(snapshotSerializer())
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver())
                .upcasterChain(new EventUpcasterChain(new LeadCapturedNameSplitUpcaster()))
                .schema(EventStoreConfiguration.EVENT_SCHEMA)
                .dataType(String.class);
        this.engine = new ChainedEventStorageEngine(builder, eventSerializer, jdbc);
        this.tokenStore = JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(eventSerializer)
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

    private static Serializer snapshotSerializer() {
        ObjectMapper mapper = EventJson.objectMapper();
        mapper.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
        mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
        return JacksonSerializer.builder().objectMapper(mapper).build();
    }

    public long eventCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }
}
