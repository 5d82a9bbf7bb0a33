package com.salespipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.salespipeline.query.lifecycle.LifecycleProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/** The service as configured by its own application.yml starts, migrates its tables and is healthy. */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:query-side-app;DB_CLOSE_DELAY=-1",
        "pipeline.api-keys=analyst-key=ANALYST,admin-key=ADMIN",
        // no broker in this test: the Kafka source is exercised by distributed-tests
        "axon.eventhandling.processors.pipeline-projections.mode=subscribing",
        "axon.eventhandling.processors.pipeline-projections.source=eventBus",
        "axon.kafka.fetcher.enabled=false"})
@AutoConfigureMockMvc
class QuerySideApplicationTest {

    @Autowired
    private MockMvc mvc;

    @Autowired
    private EventProcessingConfiguration processing;

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void startsHealthyWithTheProjectionInItsProcessingGroup() throws Exception {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM query_token_entry", Long.class)).isZero();
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        assertThat(processing.eventProcessorByProcessingGroup(LifecycleProjection.PROCESSING_GROUP))
                .get().extracting(EventProcessor::getName).isEqualTo(LifecycleProjection.PROCESSING_GROUP);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class)).isZero();
    }

    @Test
    void requestsAreTimedButNotEachSecurityFilter() throws Exception {
        mvc.perform(get("/api/reports/funnel").header("Authorization", "Bearer analyst-key")).andExpect(status().isOk());

        String names = mvc.perform(get("/actuator/metrics").header("Authorization", "Bearer admin-key"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(names).contains("\"http.server.requests\"").doesNotContain("spring.security");
    }
}
