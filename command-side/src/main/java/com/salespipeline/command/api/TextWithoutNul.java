package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * A text of a command body, refused as a bad field when it holds U+0000 (NUL): a PostgreSQL read model cannot store
 * that character, so a command acknowledged with it would never be counted (and stored events that hold it are only
 * read, as U+FFFD, to keep the read models going: EventJson).
 */
final class TextWithoutNul extends StdScalarDeserializer<String> {

    static final String MESSAGE = "must not contain the character U+0000 (NUL)";

    TextWithoutNul() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = StringDeserializer.instance.deserialize(parser, context);
        if (text != null && text.indexOf('\u0000') >= 0) {
            return (String) context.handleWeirdStringValue(String.class, text, MESSAGE);
        }
        return text;
    }
}
