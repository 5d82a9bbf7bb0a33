package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;
import java.util.Arrays;

/**
 * An enum value is its name as it is: Jackson would take {@code " CALL_HELD "} (or {@code CALL_HELD} followed by a
 * control character) for {@code CALL_HELD}, trimming it on a second try, where api.md refuses every value that is not one of the names (400). Only such padded names are
 * refused here; everything else (a number, a null, another name) is left to Jackson's own enum deserializer.
 */
final class ExactEnumNames extends BeanDeserializerModifier {

    @Override
    public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                      BeanDescription description, JsonDeserializer<?> deserializer) {
        return new Unpadded(deserializer);
    }

    private static final class Unpadded extends DelegatingDeserializer {

        Unpadded(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new Unpadded(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                String text = parser.getText();
                // trim() also takes control characters off the ends, as Jackson's second try does ("CALL_HELD\u0000")
                String stripped = text.strip().trim();
                if (!stripped.isEmpty() && !stripped.equals(text)) {
                    Class<?> type = handledType();
                    return context.handleWeirdStringValue(type, text,
                            "not one of " + Arrays.toString(type.getEnumConstants()));
                }
            }
            return super.deserialize(parser, context);
        }
    }
}
