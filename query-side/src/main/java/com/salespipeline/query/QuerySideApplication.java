package com.salespipeline.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The query side as its own service (distributed mode): events in, read models and reports out. */
@SpringBootApplication(scanBasePackages = {"com.salespipeline.query", "com.salespipeline.common"})
public class QuerySideApplication {

    public static void main(String[] args) {
        SpringApplication.run(QuerySideApplication.class, args);
    }
}
