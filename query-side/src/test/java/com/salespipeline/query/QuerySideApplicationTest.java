package com.salespipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.salespipeline.events.EngagementRecorded;
import com.salespipeline.events.EngagementType;
import com.salespipeline.events.Money;
import com.salespipeline.events.OpportunityWon;
import com.salespipeline.events.Stage;
import com.salespipeline.query.lifecycle.LifecycleProjection;
import com.salespipeline.serialization.EventJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
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

    @Autowired
    @Qualifier("eventSerializer")
    private Serializer eventSerializer;

    @Test
    void startsHealthyWithTheProjectionInItsProcessingGroup() throws Exception {
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM query_token_entry", Long.class)).isZero();
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        assertThat(processing.eventProcessorByProcessingGroup(LifecycleProjection.PROCESSING_GROUP))
                .get().extracting(EventProcessor::getName).isEqualTo(LifecycleProjection.PROCESSING_GROUP);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM read_contact", Long.class)).isZero();
    }

    /** The events of the topic are the command side's EventJson: read with its rules, not with the web's mapper. */
    @Test
    void eventsAreReadAsTheEventStoreWritesThem() {
        Serializer writer = EventJson.serializer();
        UUID contact = UUID.randomUUID();
        Instant at = Instant.parse("2026-03-01T09:30:00Z");
        // an amount longer than Jackson reads by default, as commands accepted before they refused it
        OpportunityWon won = new OpportunityWon(contact, UUID.randomUUID(), new Money(new BigDecimal("9".repeat(1_500)),
                "EUR"), false, Stage.OPPORTUNITY, Stage.CUSTOMER, at);
        EngagementRecorded withNul = new EngagementRecorded(contact, EngagementType.CALL_HELD, true, "a\u0000b", at);

        Object readWon = eventSerializer.deserialize(writer.serialize(won, String.class));
        EngagementRecorded readNote = eventSerializer.deserialize(writer.serialize(withNul, String.class));

        assertThat(readWon).isEqualTo(won);
        assertThat(readNote.note()).isEqualTo("a\uFFFDb");
    }

    @Test
    void requestsAreTimedButNotEachSecurityFilter() throws Exception {
        mvc.perform(get("/api/reports/funnel").header("Authorization", "Bearer analyst-key")).andExpect(status().isOk());

        String names = mvc.perform(get("/actuator/metrics").header("Authorization", "Bearer admin-key"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(names).contains("\"http.server.requests\"").doesNotContain("spring.security");
    }
}
