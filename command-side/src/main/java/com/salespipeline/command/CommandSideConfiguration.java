package com.salespipeline.command;

import com.salespipeline.command.audit.StoredEvents;
import com.salespipeline.command.contact.BusinessTime;
import com.salespipeline.command.contact.CaptureLeadHandler;
import com.salespipeline.command.contact.Contact;
import com.salespipeline.command.contact.ContactRegistry;
import com.salespipeline.command.contact.QualificationPolicy;
import com.salespipeline.command.pipeline.GroupCommitter;
import com.salespipeline.command.pipeline.IdempotencyRecords;
import com.salespipeline.command.pipeline.RecentContacts;
import com.salespipeline.command.pipeline.RefusalAnswers;
import com.salespipeline.command.store.CommittedEventStore;
import com.salespipeline.command.store.EventStoreConfiguration.CommandSchema;
import com.salespipeline.command.store.JdbcContactRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.Repository;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the contact lifecycle to its policies, its registry and the group committer. */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class CommandSideConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * A failed step inside a command must not doom the whole batch: the committer rolls that command
     * back to its savepoint and commits the others. A commit that fails is rolled back before the connection
     * goes back to the pool: left open, the transaction was committed there by the reset to auto-commit, and
     * the commands that had been answered 503 ("nothing stored") were stored after all.
     */
    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
        transactionManager.setGlobalRollbackOnParticipationFailure(false);
        transactionManager.setRollbackOnCommitFailure(true);
        return transactionManager;
    }

    @Bean
    BusinessTime businessTime(Clock clock,
                              @Value("${pipeline.commands.allowed-clock-skew:5s}") Duration allowedClockSkew) {
        return new BusinessTime(clock, allowedClockSkew);
    }

    @Bean
    QualificationPolicy qualificationPolicy(
            @Value("${pipeline.qualification.require-two-way-engagement:true}") boolean requireTwoWay) {
        return new QualificationPolicy(requireTwoWay);
    }

    @Bean
    ContactRegistry contactRegistry(CommandSchema schema, JdbcTemplate jdbc) {
        return new JdbcContactRegistry(jdbc);
    }

    @Bean
    CaptureLeadHandler captureLeadHandler(@Qualifier("contactRepository") Repository<Contact> contacts,
                                          ContactRegistry registry, BusinessTime time) {
        return new CaptureLeadHandler(contacts, registry, time);
    }

    @Bean
    IdempotencyRecords idempotencyRecords(CommandSchema schema, JdbcTemplate jdbc, Clock clock) {
        return new IdempotencyRecords(jdbc, clock);
    }

    @Bean
    GroupCommitter groupCommitter(CommandBus commandBus, IdempotencyRecords idempotency, RefusalAnswers refusals,
                                  PlatformTransactionManager transactionManager, CommittedEventStore eventStore,
                                  @Qualifier("contactCache") Cache contactCache, JdbcTemplate jdbc,
                                  @Value("${pipeline.commands.max-batch:256}") int maxBatch,
                                  @Value("${pipeline.commands.queue-capacity:10000}") int queueCapacity) {
        StoredEvents stored = new StoredEvents(jdbc);
        return new GroupCommitter(commandBus, idempotency, refusals, transactionManager, eventStore::eventsCommitted,
                contactCache::removeAll, outcome -> stored.has(outcome.contactId(), outcome.version()), maxBatch,
                queueCapacity);
    }

    /** How far commands queue up behind the database; a full queue refuses commands with 503. */
    @Bean
    Gauge commandsWaiting(GroupCommitter committer, MeterRegistry registry) {
        return Gauge.builder("pipeline.commands.waiting", committer, GroupCommitter::waiting)
                .description("commands queued for the next batch commit").register(registry);
    }

    /**
     * Contacts as the last command left them, so that the next command for one does not read its events again.
     * Only this process appends a contact's events; the group committer empties the cache whenever events it
     * applied are not stored.
     */
    @Bean
    Cache contactCache(@Value("${pipeline.commands.cached-contacts:10000}") int capacity) {
        return new RecentContacts(capacity);
    }

    /**
     * Snapshots are taken on their own thread and transaction, so that a snapshot can never fail or slow a command.
     * One is asked for as the command's unit of work ends, which is inside its batch's transaction: it may read
     * before that batch commits, and then covers the history up to the batch before.
     */
    @Bean
    SpringAggregateSnapshotter aggregateSnapshotter(Configuration configuration, HandlerDefinition handlerDefinition,
                                                    ParameterResolverFactory parameterResolverFactory,
                                                    EventStore eventStore, TransactionManager transactionManager) {
        return SpringAggregateSnapshotter.builder()
                .repositoryProvider(configuration::repository)
                .transactionManager(transactionManager)
                .eventStore(eventStore)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition)
                .executor(Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "contact-snapshotter");
                    thread.setDaemon(true);
                    return thread;
                }))
                .build();
    }
}
