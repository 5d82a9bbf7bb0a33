package com.salespipeline.query.replay;

import com.salespipeline.query.lifecycle.QuerySchema;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * JDBC for the read models, routed to the serving generation. Not default candidates: they are injected
 * only where asked for by the qualifier {@value #READ_MODEL}, and leave the application's own templates alone.
 */
@Configuration(proxyBeanMethods = false)
public class ReadModelJdbcConfiguration {

    public static final String READ_MODEL = "readModel";

    @Bean
    ReadModelGenerations readModelGenerations(QuerySchema schema, DataSource dataSource) {
        return new ReadModelGenerations(new JdbcTemplate(dataSource));
    }

    @Bean(defaultCandidate = false)
    @Qualifier(READ_MODEL)
    JdbcTemplate readModelJdbcTemplate(DataSource dataSource, ReadModelGenerations generations) {
        return new JdbcTemplate(new GenerationRoutingDataSource(dataSource, generations));
    }

    @Bean(defaultCandidate = false)
    @Qualifier(READ_MODEL)
    NamedParameterJdbcTemplate readModelNamedJdbcTemplate(@Qualifier(READ_MODEL) JdbcTemplate jdbc) {
        return new NamedParameterJdbcTemplate(jdbc);
    }
}
