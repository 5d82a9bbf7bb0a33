package com.salespipeline.command.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.salespipeline.command.pipeline.GroupCommitter;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The HTTP side of sending commands. */
@Configuration(proxyBeanMethods = false)
class CommandApiConfiguration {

    /**
     * A number with a fraction where a whole number is expected (a score of 50.7) is refused as a bad field, not cut
     * to 50 as Jackson does by default: a refused request stores nothing, a cut one would store another value.
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer wholeNumbersOnly() {
        return builder -> builder.featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    @Bean
    CommandSender commandSender(GroupCommitter committer,
                                @Value("${pipeline.commands.answer-timeout:30s}") Duration timeout) {
        return new CommandSender(committer, timeout);
    }
}
