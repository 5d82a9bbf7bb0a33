package com.salespipeline.command.audit;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:history;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
class HistoryOnH2Test extends HistoryAndTamperingScenarios {
}
