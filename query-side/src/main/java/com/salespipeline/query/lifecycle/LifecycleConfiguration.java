package com.salespipeline.query.lifecycle;

import com.salespipeline.common.schema.SchemaMigration;
import javax.sql.DataSource;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import com.salespipeline.query.replay.ReadModelJdbcConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The lifecycle read model: its tables, its projection, and what happens when an event cannot be applied. */
@Configuration(proxyBeanMethods = false)
public class LifecycleConfiguration {

    @Bean
    QuerySchema querySchema(DataSource dataSource) {
        return new QuerySchema(SchemaMigration.migrate(dataSource, "query"));
    }

    @Bean
    LifecycleProjection lifecycleProjection(QuerySchema schema,
                                            @Qualifier(ReadModelJdbcConfiguration.READ_MODEL) JdbcTemplate jdbc,
                                            PlatformTransactionManager transactionManager) {
        return new LifecycleProjection(jdbc, transactionManager);
    }

    /**
     * Axon's default logs a failing event handler and moves on, which would leave the counts silently
     * wrong. Propagating the error makes the processor roll back, release the segment and retry it.
     */
    @Bean
    ConfigurerModule pipelineProjectionsPropagateErrors() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerListenerInvocationErrorHandler(
                LifecycleProjection.PROCESSING_GROUP, configuration -> PropagatingErrorHandler.instance()));
    }
}
