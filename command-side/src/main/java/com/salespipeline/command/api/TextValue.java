package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * A value that api.md gives as a JSON string in one exact format (an instant, a date, money). Jackson would also
 * take a number, reading it as epoch seconds, a position in a list or a double, and would stretch the formats; here
 * anything else is the client's error, refused as a bad field. A blank string is no value, as for every optional
 * field of the API.
 */
abstract class TextValue<T> extends StdScalarDeserializer<T> {

    private final Class<T> type;

    TextValue(Class<T> type) {
        super(type);
        this.type = type;
    }

    /** The value the text stands for; a {@link RuntimeException} when it stands for none. */
    abstract T parse(String text);

    /** The format, as the error names it. */
    abstract String format();

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
            return parse(text);
        } catch (RuntimeException notInFormat) {
            return type.cast(context.handleWeirdStringValue(type, text, "not " + format()));
        }
    }
}
