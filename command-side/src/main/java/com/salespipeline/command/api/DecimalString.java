package com.salespipeline.command.api;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Money as api.md gives it: a decimal string such as {@code "1250.00"}. A JSON number would pass through a double in
 * many clients before it got here, and an exponent ({@code "1e3"}) would be stored as {@code 1E+3}.
 */
final class DecimalString extends TextValue<BigDecimal> {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    DecimalString() {
        super(BigDecimal.class, DecimalString::parse, "a decimal such as \"1250.00\"");
    }

    private static BigDecimal parse(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        return new BigDecimal(text);
    }
}
