package com.salespipeline.query;

import com.salespipeline.query.lifecycle.QuerySchema;
import javax.sql.DataSource;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The query side as its own service (distributed mode): events in, read models and reports out. */
@SpringBootApplication(scanBasePackages = {"com.salespipeline.query", "com.salespipeline.common"})
public class QuerySideApplication {

    /**
     * Where the projections' position in the topic is kept: in the query database, next to the rows, so
     * both commit together. Declared here, not in a scanned configuration, because the standalone app
     * keeps its positions in the command side's token table instead.
     */
    @Bean
    TokenStore tokenStore(QuerySchema schema, DataSource dataSource, Serializer serializer) {
        return JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .serializer(serializer)
                .schema(TokenSchema.builder()
                        .setTokenTable("query_token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    public static void main(String[] args) {
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
