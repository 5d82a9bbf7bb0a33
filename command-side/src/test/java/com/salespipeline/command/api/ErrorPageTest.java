package com.salespipeline.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.salespipeline.command.api.HttpClientSupport.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A failure that no handler expected reaches the error page, and the client still gets problem details. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:error-page;DB_CLOSE_DELAY=-1")
@ActiveProfiles({"test", ErrorPageTest.PROFILE})
class ErrorPageTest {

    /**
     * The failing endpoint's profile: the standalone app's tests scan this package from the command side's test jar,
     * and must not get the endpoint.
     */
    static final String PROFILE = "error-page-test";

    @TestConfiguration
    @Profile(PROFILE)
    static class FailingEndpoint {

        @Bean
        Failing failing() {
            return new Failing();
        }
    }

    @RestController
    @Profile(PROFILE)
    static class Failing {

        @GetMapping("/api/contacts/test-only/fails")
        String fails() {
            throw new IllegalStateException("a failure nothing expected (injected by the test)");
        }
    }

    @LocalServerPort
    int port;

    /** Refused by Tomcat or by Spring Security's firewall before any handler: problems too, not an HTML page. */
    @Test
    void whatTomcatOrTheFirewallRefusesIsAProblemToo() {
        HttpClientSupport http = new HttpClientSupport("http://localhost:" + port);
        String longText = "x".repeat(10_000);

        CommandApiTest.assertProblem(http.get("/api/contacts/a%2Fb", "auditor-dev-key"), 400);
        CommandApiTest.assertProblem(http.get("/api/contacts", "auditor-dev-key", Map.of("X-Junk", longText)), 400);
        CommandApiTest.assertProblem(http.get("/api/contacts/" + longText, "auditor-dev-key"), 400);
        CommandApiTest.assertProblem(http.get("/api/contacts/a;b", "auditor-dev-key"), 400);
        Reply trace = http.send("TRACE", "/api/contacts", null);
        CommandApiTest.assertProblem(trace, 405);
        assertThat(trace.header("Allow")).contains("GET").doesNotContain("TRACE");
    }

    @Test
    void anUnexpectedFailureIsA500Problem() {
        Reply reply = new HttpClientSupport("http://localhost:" + port).get("/api/contacts/test-only/fails",
                "admin-dev-key");

        CommandApiTest.assertProblem(reply, 500);
        assertThat(reply.json().get("detail").asText()).contains("/api/contacts/test-only/fails")
                .doesNotContain("injected by the test");
    }
}
