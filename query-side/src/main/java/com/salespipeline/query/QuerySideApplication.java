package com.salespipeline.query;

import com.salespipeline.serialization.EventJson;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The query side as its own service (distributed mode): events in, read models and reports out. */
@SpringBootApplication(scanBasePackages = {"com.salespipeline.query", "com.salespipeline.common"})
public class QuerySideApplication {

    public static void main(String[] args) {
        SpringApplication.run(QuerySideApplication.class, args);
    }

    /**
     * Events are read in the one JSON form of {@link EventJson}. Declared here, not in a scanned
     * configuration, because the standalone app already has the command side's.
     */
    @Bean
    @Primary
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return EventJson.serializer();
    }
}
