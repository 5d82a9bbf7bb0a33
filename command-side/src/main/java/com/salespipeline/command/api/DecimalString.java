package com.salespipeline.command.api;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Money as api.md gives it: a decimal string such as {@code "1250.00"}. A JSON number would pass through a double in
 * many clients before it got here, and an exponent ({@code "1e3"}) would be stored as {@code 1E+3}. At most 18 digits
 * before the point (a quintillion, more than any deal) and 8 after it (no currency has more than 4 minor
 * digits; the rest are zeros a client's formatting may add): an amount of thousands of digits was once accepted,
 * and every reader of the event then stopped at it.
 */
final class DecimalString extends TextValue<BigDecimal> {

    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,18}(\\.[0-9]{1,8})?");

    DecimalString() {
        super(BigDecimal.class, DecimalString::parse,
                "a decimal such as \"1250.00\", of at most 18 digits before the point and 8 after it");
    }

    private static BigDecimal parse(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        return new BigDecimal(text);
    }
}
