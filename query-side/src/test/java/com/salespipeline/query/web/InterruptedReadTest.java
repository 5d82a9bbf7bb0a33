package com.salespipeline.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.query.freshness.ReadModelProgress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.SimpleEventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A read that is interrupted while it waits for the read model (the server stopping) is answered 503 without being
 * made: its thread keeps the interrupt, and H2 closes the whole database file under a thread that reads it
 * interrupted. The read model here is never caught up, so every read would wait for the whole minute.
 */
@SpringBootTest(properties = {
        "spring.datasource.url=jdbc:h2:mem:interrupted-read;DB_CLOSE_DELAY=-1",
        "pipeline.api-keys=analyst-dev-key=ANALYST",
        "pipeline.query.catch-up-timeout=60s",
        "axon.eventhandling.processors.pipeline-projections.mode=subscribing",
        "axon.eventhandling.processors.pipeline-projections.source=eventBus",
        "axon.kafka.fetcher.enabled=false"})
@AutoConfigureMockMvc
class InterruptedReadTest {

    /** Asked to look, it never catches up: stored at 7, applied at 3, for good. */
    static class NeverCaughtUp implements ReadModelProgress {
        final CountDownLatch asked = new CountDownLatch(1);
        final AtomicBoolean storeRead = new AtomicBoolean();

        @Override
        public long storedHead() {
            storeRead.set(true);
            return 7;
        }

        @Override
        public long appliedPosition() {
            return 3;
        }

        @Override
        public boolean following() {
            return true;
        }

        @Override
        public void lookNow() {
            asked.countDown();
        }
    }

    @TestConfiguration
    static class Beans {
        @Bean
        EventBus eventBus() {
            return SimpleEventBus.builder().build();
        }

        @Bean
        NeverCaughtUp readModelProgress() {
            return new NeverCaughtUp();
        }
    }

    @Autowired
    private MockMvc mvc;

    @Autowired
    private NeverCaughtUp progress;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    @Timeout(30)
    void aReadInterruptedWhileItWaitsIsAnswered503AndItsThreadKeepsTheInterrupt() throws Exception {
        AtomicBoolean keptInterrupt = new AtomicBoolean();
        CompletableFuture<MockHttpServletResponse> answer = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                answer.complete(mvc.perform(funnel()).andReturn().getResponse());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            } finally {
                keptInterrupt.set(Thread.interrupted());
            }
        }, "interrupted-reader");
        reader.start();
        assertThat(progress.asked.await(20, TimeUnit.SECONDS)).as("the read waits for the read model").isTrue();

        reader.interrupt();
        reader.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(reader.isAlive()).as("the interrupted read ended").isFalse();
        expectServerStopping(answer.get());
        assertThat(keptInterrupt).as("the interrupt is kept for whoever interrupted the thread").isTrue();
    }

    @Test
    void aReadOnAThreadInterruptedAlreadyIsAnswered503WithoutLookingAtTheStore() throws Exception {
        progress.storeRead.set(false);
        MockHttpServletResponse response;
        Thread.currentThread().interrupt();
        try {
            response = mvc.perform(funnel()).andReturn().getResponse();
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }

        expectServerStopping(response);
        assertThat(progress.storeRead).as("nothing was read").isFalse();
    }

    private static org.springframework.test.web.servlet.RequestBuilder funnel() {
        return get("/api/reports/funnel").header(HttpHeaders.AUTHORIZATION, "Bearer analyst-dev-key");
    }

    private void expectServerStopping(MockHttpServletResponse response) throws Exception {
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(503);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        JsonNode problem = json.readTree(response.getContentAsString());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asText()).isEqualTo("Server stopping");
        assertThat(problem.get("detail").asText()).contains("stopping");
    }
}
