package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.function.Function;

/**
 * A value that api.md gives as a JSON string in one exact format (an instant, a date, money). Jackson would also
 * take a number, reading it as epoch seconds, a position in a list or a double, and would stretch the formats; here
 * anything else is the client's error, refused as a bad field. A blank string is no value, as for every optional
 * field of the API.
 */
class TextValue<T> extends StdScalarDeserializer<T> {

    private final Class<T> type;
    private final Function<String, T> reading;
    private final String format;

    /**
     * @param parser the value a text stands for; a {@link RuntimeException} when it stands for none
     * @param format the format, as the error names it
     */
    TextValue(Class<T> type, Function<String, T> parser, String format) {
        super(type);
        this.type = type;
        this.reading = parser;
        this.format = format;
    }

    /**
     * ISO-8601 instants ({@code Z} or an offset). Jackson would read a number, even a quoted one, as epoch seconds,
     * which a client that sent milliseconds would find refused as in the future, some fifty thousand years ahead.
     */
    static TextValue<Instant> instants() {
        return new TextValue<>(Instant.class, Instant::parse, "an ISO-8601 instant such as \"2024-05-01T00:00:00Z\"");
    }

    /** Dates such as {@code "2024-05-01"}; Jackson would cut a date-time to its date, dropping the time. */
    static TextValue<LocalDate> dates() {
        return new TextValue<>(LocalDate.class, LocalDate::parse, "an ISO-8601 date such as \"2024-05-01\"");
    }

    /**
     * UUIDs in their 36-character form only. Jackson trims a UUID (taking a control character at its end with the
     * spaces), and {@link UUID#fromString} would also read {@code "1-1-1-1-1"}.
     */
    static TextValue<UUID> uuids() {
        return new TextValue<>(UUID.class, text -> {
            UUID uuid = UUID.fromString(text);
            if (!uuid.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException(text);
            }
            return uuid;
        }, "a UUID such as \"7b1e6a52-0c1d-4f6e-9a51-3f1f0a1c2d01\"");
    }

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return type.cast(context.handleUnexpectedToken(type, parser));
        }
        String sent = parser.getText();
        // spaces around a value are a slip; a control character (which trim() would take off too) is no part of one
        if (sent.chars().anyMatch(c -> c < ' ')) {
            return type.cast(context.handleWeirdStringValue(type, sent, "not " + format));
        }
        String text = sent.trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return reading.apply(text);
        } catch (RuntimeException notInFormat) {
            return type.cast(context.handleWeirdStringValue(type, text, "not " + format));
        }
    }
}
