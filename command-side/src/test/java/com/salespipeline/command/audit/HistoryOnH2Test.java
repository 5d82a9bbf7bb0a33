package com.salespipeline.command.audit;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every scenario of {@link HistoryAndTamperingScenarios} (history contents, and that each way of tampering
 * is detected: the assertions live there) against H2 (in memory).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:history;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class HistoryOnH2Test extends HistoryAndTamperingScenarios {
}
