package com.salespipeline.query.lifecycle;

import com.salespipeline.common.schema.SchemaMigration;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import com.salespipeline.query.replay.ReadModelGenerations;
import com.salespipeline.query.replay.BaseRowsLoaded;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The lifecycle read model: its tables, its projection, and what happens when an event cannot be applied. */
@Configuration(proxyBeanMethods = false)
public class LifecycleConfiguration {

    @Bean
    QuerySchema querySchema(DataSource dataSource) {
        return new QuerySchema(SchemaMigration.migrate(dataSource, "query"));
    }

    /**
     * Before the projection applies anything, the report aggregates of both generations are built from
     * their rows if they never were (rows older than the aggregates' migration).
     */
    @Bean
    LifecycleProjection lifecycleProjection(QuerySchema schema,
                                            @Qualifier(ReadModelJdbcConfiguration.READ_MODEL) JdbcTemplate jdbc,
                                            PlatformTransactionManager transactionManager,
                                            ReadModelGenerations generations) {
        ReportAggregates aggregates = new ReportAggregates(jdbc);
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        for (String generation : List.of(generations.active(), generations.inactive())) {
            generations.on(generation, () -> transactions.execute(status -> {
                aggregates.rebuildUnlessBuilt();
                return null;
            }));
        }
        return new LifecycleProjection(jdbc, transactionManager);
    }

    /**
     * A bulk replay writes the base rows of a generation directly; its report aggregates are then computed
     * from the contacts it folded, a chunk of rows at a time, each
     * committed (the generation serves nothing yet), before the replay streams the newest events.
     */
    @Bean
    BaseRowsLoaded reportAggregatesFromLoadedRows(@Qualifier(ReadModelJdbcConfiguration.READ_MODEL) JdbcTemplate jdbc,
                                                  PlatformTransactionManager transactionManager) {
        ReportAggregates aggregates = new ReportAggregates(jdbc, new TransactionTemplate(transactionManager));
        return aggregates::rebuildFromFoldedContacts;
    }

    @Bean
    ReportPlanner reportPlanner(QuerySchema schema,
                                @Qualifier(ReadModelJdbcConfiguration.READ_MODEL) NamedParameterJdbcTemplate jdbc,
                                PlatformTransactionManager transactionManager) {
        return new ReportPlanner(jdbc, transactionManager);
    }

    /**
     * Axon's default logs a failing event handler and moves on, which would leave the counts silently
     * wrong. Propagating the error makes the processor roll back, release the segment and retry it.
     */
    @Bean
    ConfigurerModule pipelineProjectionsPropagateErrors() {
        // the processor's own handler too (Axon's default, pinned): a batch whose event failed part-way without
        // a savepoint must roll back (EventWrites)
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerListenerInvocationErrorHandler(LifecycleProjection.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance())
                .registerErrorHandler(LifecycleProjection.PROCESSING_GROUP,
                        configuration -> PropagatingErrorHandler.instance()));
    }
}
