package com.salespipeline.serialization;

import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Events are read with {@link EventJson} wherever they are read, not only where they are written: without this a
 * query side on its own would read the topic with the web's mapper, which keeps a stored NUL (that a PostgreSQL
 * read model cannot store) and stops at an amount of over 1,000 digits. A service that declares its own event serializer (the command
 * side, and so the standalone app) keeps it; Axon's would be made only when none is declared, so this comes first.
 */
@AutoConfiguration(beforeName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration")
public class EventSerializerAutoConfiguration {

    @Bean
    @Qualifier("eventSerializer")
    @ConditionalOnMissingBean(name = "eventSerializer")
    Serializer eventSerializer() {
        return EventJson.serializer();
    }
}
