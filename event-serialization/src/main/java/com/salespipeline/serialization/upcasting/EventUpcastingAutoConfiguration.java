package com.salespipeline.serialization.upcasting;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Registers the upcasters once in any application that reads events (command side, query side or both
 * in the standalone app); Axon adds every upcaster bean to its upcaster chain.
 */
@AutoConfiguration
public class EventUpcastingAutoConfiguration {

    @Bean
    LeadCapturedNameSplitUpcaster leadCapturedNameSplitUpcaster() {
        return new LeadCapturedNameSplitUpcaster();
    }
}
