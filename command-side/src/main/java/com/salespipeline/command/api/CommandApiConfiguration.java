package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.salespipeline.command.pipeline.GroupCommitter;
import com.salespipeline.command.pipeline.RecordedRefusal;
import com.salespipeline.command.pipeline.RefusalAnswers;
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

    /** A refusal is kept for an Idempotency-Key's retries as its problem details, exactly as first answered. */
    @Bean
    RefusalAnswers refusalAnswers(ObjectMapper objectMapper) {
        return failure -> RefusalProblems.of(failure).map(problem -> {
            try {
                return new RecordedRefusal(problem.getStatus(), objectMapper.writeValueAsString(problem));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("problem details that cannot be written as JSON: " + problem, e);
            }
        });
    }

    @Bean
    CommandSender commandSender(GroupCommitter committer,
                                @Value("${pipeline.commands.answer-timeout:30s}") Duration timeout) {
        return new CommandSender(committer, timeout);
    }
}
