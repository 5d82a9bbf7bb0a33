package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.salespipeline.command.pipeline.GroupCommitter;
import com.salespipeline.command.pipeline.RecordedRefusal;
import com.salespipeline.command.pipeline.RefusalAnswers;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The HTTP side of sending commands. */
@Configuration(proxyBeanMethods = false)
class CommandApiConfiguration {

    /**
     * A value of another JSON type than api.md gives is refused as a bad field, not converted as Jackson does by
     * default: a score of 50.7 is not cut to 50, {@code "50"} is no score, 123 no name, 5 no source (Jackson would take
     * the sixth), nor {@code " AD "} ({@link ExactEnumNames}), a number no instant (Jackson would read epoch seconds),
     * a date-time no date (Jackson would drop the time), a text with U+0000 or half a character no text ({@link StorableText}). A refused
     * request stores nothing; a converted one might store what the client did not mean. For the same reason a body is one JSON value and
     * nothing after it ({@code {...} xyz} and two objects in a row are malformed, where Jackson would read the first
     * and stop), and an object names each field once (Jackson would keep the last of two {@code "type"}s).
     */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer valuesOfTheirOwnType() {
        return builder -> builder.featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .featuresToEnable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS, JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .deserializerByType(Instant.class, TextValue.instants())
                .deserializerByType(LocalDate.class, TextValue.dates())
                .deserializerByType(String.class, new StorableText())
                .deserializerByType(UUID.class, TextValue.uuids())
                .postConfigurer(mapper -> {
                    mapper.registerModule(new SimpleModule("exact-enum-names")
                            .setDeserializerModifier(new ExactEnumNames()));
                    mapper.coercionConfigFor(LogicalType.Textual)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                    mapper.coercionConfigFor(LogicalType.Integer)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
                    mapper.coercionConfigFor(LogicalType.Boolean)
                            .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                });
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
    FilterRegistrationBean<CorrelationIds> correlationIds() {
        FilterRegistrationBean<CorrelationIds> registration = new FilterRegistrationBean<>(new CorrelationIds());
        registration.addUrlPatterns("/api/contacts", "/api/contacts/*");
        // ahead of Spring Security's filters: a 401 or 403 answers the id too
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 10);
        return registration;
    }

    @Bean
    CommandSender commandSender(GroupCommitter committer,
                                @Value("${pipeline.commands.answer-timeout:30s}") Duration timeout) {
        return new CommandSender(committer, timeout);
    }
}
