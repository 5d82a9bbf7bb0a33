package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * A text of a command body, refused as a bad field when it cannot be stored as sent: U+0000 (NUL), which a PostgreSQL
 * read model cannot hold, so that a command acknowledged with it was never counted (stored events that hold it are
 * read with U+FFFD, to keep the read models going: EventJson); and a lone surrogate (half of a character outside the
 * Basic Multilingual Plane, such as {@code "\ud800"}), which is no character at all: written as UTF-8 it became
 * {@code ?}, so the stored text was not the one acknowledged. A text of nothing but white space of any kind (no-break
 * and ideographic spaces too) and invisible format characters (a zero-width space) is read as empty, so that one
 * rule says what is blank: a required text (a name, a BANT answer, an owner) refuses it, an optional one is none.
 * Java's and the validator's own tests disagreed (U+00A0 passed both, U+3000 one of them).
 */
final class StorableText extends StdScalarDeserializer<String> {

    StorableText() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = StringDeserializer.instance.deserialize(parser, context);
        String problem = text == null ? null : problem(text);
        if (problem != null) {
            return (String) context.handleWeirdStringValue(String.class, text, problem);
        }
        return text == null || !isBlank(text) ? text : "";
    }

    static boolean isBlank(String text) {
        return text.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    /** Why {@code text} cannot be stored as sent, or null when it can. */
    static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the character U+0000 (NUL)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("must be Unicode text: \\u%04x at position %d is half of a character", (int) c, i);
            }
        }
        return null;
    }
}
