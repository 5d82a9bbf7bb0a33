package com.salespipeline.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;

/**
 * API keys are the only credentials: the service does not make and print a password of Spring Boot's, which nothing
 * accepts and which an operator reading the log would take for one (helper-38 saw it at every start).
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:no-generated-password;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class NoGeneratedPasswordTest {

    @Test
    void startsWithoutAGeneratedPassword(CapturedOutput output) {
        assertThat(output.getAll()).as("the start-up log was captured").contains("Started");
        assertThat(output.getAll()).doesNotContain("generated security password");
    }
}
