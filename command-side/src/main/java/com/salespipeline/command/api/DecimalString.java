package com.salespipeline.command.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Money as api.md gives it: a decimal string such as {@code "1250.00"}. A JSON number would pass through a double in
 * many clients before it got here, and an exponent ({@code "1e3"}) is stored as {@code 1E+3}: both are refused.
 */
final class DecimalString extends StdScalarDeserializer<BigDecimal> {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    DecimalString() {
        super(BigDecimal.class);
    }

    @Override
    public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser);
        }
        String text = parser.getText().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (!DECIMAL.matcher(text).matches()) {
            return (BigDecimal) context.handleWeirdStringValue(BigDecimal.class, text,
                    "not a decimal such as \"1250.00\"");
        }
        return new BigDecimal(text);
    }
}
