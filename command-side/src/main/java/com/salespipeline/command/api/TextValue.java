package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
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

    @Override
    public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return type.cast(context.handleUnexpectedToken(type, parser));
        }
        String text = parser.getText().trim();
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
