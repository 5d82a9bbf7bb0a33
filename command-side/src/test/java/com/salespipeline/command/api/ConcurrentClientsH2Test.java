package com.salespipeline.command.api;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:command-concurrency;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class ConcurrentClientsH2Test {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void twoOrMoreClientsOnOneContactNeverLoseAnUpdate() throws Exception {
        ConcurrentClients.assertNoLostUpdates(new HttpClientSupport("http://localhost:" + port), jdbc);
    }
}
