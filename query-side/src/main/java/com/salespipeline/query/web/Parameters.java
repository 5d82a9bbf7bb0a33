package com.salespipeline.query.web;

import com.salespipeline.common.web.Problems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads query parameters of one request, collecting every problem instead of stopping at the first, so
 * that a 400 names all wrong parameters at once. Blank values count as absent.
 */
public final class Parameters {

    // far enough apart for any report, close enough that durations between them fit a long of microseconds
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final List<Map<String, String>> errors = new ArrayList<>();

    public static String text(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A text to filter by, null when blank. U+0000 (NUL) is refused: no contact holds it (commands refuse it), and
     * PostgreSQL cannot take it as a statement's value.
     */
    public String name(String name, String value) {
        if (text(value) == null) {
            return null;
        }
        if (value.indexOf('\u0000') >= 0) {
            reject(name, "must not contain the character U+0000 (NUL)");
            return null;
        }
        return value;
    }

    /** An instant of the years 1 to 9999, which the reports can compute with; the commands record none earlier. */
    public Instant instant(String name, String value) {
        if (text(value) == null) {
            return null;
        }
        if (hasControlCharacter(name, value)) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            reject(name, "'" + value + "' is not an ISO-8601 instant such as 2024-05-01T00:00:00Z");
            return null;
        }
        // the reports round nanoseconds down to microseconds: the last microsecond's nanoseconds are in range too
        if (instant.isBefore(EARLIEST) || instant.truncatedTo(ChronoUnit.MICROS).isAfter(LATEST)) {
            reject(name, "'" + value + "' is not between " + EARLIEST + " and " + LATEST);
            return null;
        }
        return instant;
    }

    public <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (text(value) == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            reject(name, "'" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
            return null;
        }
    }

    /** An integer in {@code [min, max]}, or the default when absent. */
    public int integer(String name, String value, int defaultValue, int min, int max) {
        if (text(value) == null) {
            return defaultValue;
        }
        if (hasControlCharacter(name, value)) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number < min || number > max) {
                reject(name, max == Integer.MAX_VALUE ? "must be at least " + min + ", was " + number
                        : "must be between " + min + " and " + max + ", was " + number);
                return defaultValue;
            }
            return number;
        } catch (NumberFormatException e) {
            reject(name, "'" + value + "' is not an integer");
            return defaultValue;
        }
    }

    /** Spaces around a value are trimmed; trim() would take control characters off with them (asOf=...Z%00). */
    private boolean hasControlCharacter(String name, String value) {
        if (value.chars().anyMatch(c -> c < ' ')) {
            reject(name, "must not contain a control character");
            return true;
        }
        return false;
    }

    public void reject(String name, String message) {
        errors.add(Problems.fieldError(name, message));
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    /** Throws {@link InvalidParameters} if anything was rejected. */
    public void check() {
        if (!errors.isEmpty()) {
            throw new InvalidParameters(errors);
        }
    }
}
