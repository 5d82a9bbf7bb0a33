package com.salespipeline.serialization;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.math.BigDecimal;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The one JSON form of events, shared by the event store, Kafka and the contract tests. Instants are
 * ISO-8601 strings and amounts decimal strings, so no consumer has to guess at numbers.
 */
public final class EventJson {

    private EventJson() {
    }

    /** A new mapper configured for event payloads and metadata. */
    public static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // Jackson refuses to read a number (an amount's decimal string too) of over 1,000 digits, against requests
        // that would keep a parser busy; the events are this system's own, and every one stored must be read back:
        // commands did not always bound an amount's length, and a contact that could not be read again could take
        // no command, and its event would stop the projection of every contact.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNumberLength(Integer.MAX_VALUE).build());
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        // a reader of an older build must tolerate fields added by a newer one
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.setSerializationInclusion(JsonInclude.Include.ALWAYS);
        mapper.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        mapper.registerModule(new SimpleModule("stored-text").addDeserializer(String.class, new StoredText()));
        return mapper;
    }

    /**
     * Texts as the events hold them, but U+0000 (NUL) read as U+FFFD. Commands refuse NUL now, but events stored
     * before hold it, and a PostgreSQL read model cannot store it: the projection would park such an event for good
     * and every replay would fail on it.
     */
    static final class StoredText extends StdScalarDeserializer<String> {

        StoredText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = StringDeserializer.instance.deserialize(parser, context);
            return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
        }
    }

    /** Axon's serializer over {@link #objectMapper()}, for events and metadata. */
    public static JacksonSerializer serializer() {
        return JacksonSerializer.builder().objectMapper(objectMapper()).build();
    }
}
