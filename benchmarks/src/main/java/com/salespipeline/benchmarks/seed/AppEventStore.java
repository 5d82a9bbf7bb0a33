package com.salespipeline.benchmarks.seed;

import com.salespipeline.command.audit.ChainedEventStorageEngine;
import com.salespipeline.command.store.EventStoreConfiguration;
import com.salespipeline.serialization.EventJson;
import com.salespipeline.serialization.upcasting.LeadCapturedNameSplitUpcaster;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.serialization.Serializer;
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
        this.engine = EventStoreConfiguration.chainedStorageEngine(connections,
                new SpringTransactionManager(springTransactions), eventSerializer, EventStoreConfiguration.snapshotJson(),
                new JdbcSQLErrorCodesResolver(), new EventUpcasterChain(new LeadCapturedNameSplitUpcaster()), jdbc,
                SnapshotFilter.allowAll());
        this.tokenStore = EventStoreConfiguration.tokenStore(connections, eventSerializer);
    }

    public long eventCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }
}
