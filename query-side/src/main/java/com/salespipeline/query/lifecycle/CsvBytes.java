package com.salespipeline.query.lifecycle;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Values written as PostgreSQL's {@code COPY ... WITH (FORMAT csv)} reads them, straight into UTF-8 bytes. A bulk
 * replay writes tens of millions of values: formatting them through {@link DateTimeFormatter}, a
 * {@code StringBuilder} and {@code String.getBytes} made half of the replay thread's allocation (docs/benchmarks.md,
 * session 15), so the common values (ASCII text, whole numbers, timestamps of years 0 to 9999 with an offset of whole
 * minutes) are written digit by digit, and anything else as those classes would write it.
 */
final class CsvBytes {

    /** What the digit-by-digit timestamps reproduce exactly; it writes the ones they leave to it. */
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSSXXX");

    private static final int SECONDS_PER_DAY = 86_400;

    private byte[] bytes;
    private int size;

    CsvBytes(int capacity) {
        bytes = new byte[capacity];
    }

    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    void comma() {
        append((byte) ',');
    }

    void newline() {
        append((byte) '\n');
    }

    /** A value in COPY's CSV: nothing for NULL, text always quoted (so that an empty text is not NULL). */
    void value(Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof String text) {
            text(text);
        } else if (value instanceof Instant instant) {
            instant(instant);
        } else if (value instanceof OffsetDateTime time) {
            offsetDateTime(time);
        } else if (value instanceof Long number) {
            whole(number);
        } else if (value instanceof Integer number) {
            whole(number);
        } else if (value instanceof BigDecimal decimal) {
            if (decimal.scale() == 0 && decimal.precision() < 19) {
                whole(decimal.longValue());
            } else {
                ascii(decimal.toPlainString());
            }
        } else {
            utf8(String.valueOf(value));
        }
    }

    private void text(String text) {
        int length = text.length();
        ensure(length + 2);
        int at = size;
        bytes[at++] = '"';
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // not ASCII: encoded as String.getBytes encodes it (malformed surrogates included)
                utf8('"' + text.replace("\"", "\"\"") + '"');
                return;
            }
            if (c == '"') {
                ensureFrom(at, length - i + 2);
                bytes[at++] = '"';
            }
            bytes[at++] = (byte) c;
        }
        bytes[at++] = '"';
        size = at;
    }

    /** As {@link #TIMESTAMP} writes it in UTC. */
    private void instant(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil, inverted), in 400-year eras
        long shifted = days + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        long dayOfEra = shifted - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            ascii(TIMESTAMP.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)));
            return;
        }
        dateTime((int) year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60,
                instant.getNano());
        append((byte) 'Z');
    }

    private void offsetDateTime(OffsetDateTime time) {
        int year = time.getYear();
        int offset = time.getOffset().getTotalSeconds();
        if (year < 0 || year > 9999 || offset % 60 != 0) {
            ascii(TIMESTAMP.format(time));
            return;
        }
        dateTime(year, time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond(),
                time.getNano());
        if (offset == 0) {
            append((byte) 'Z');
        } else {
            append((byte) (offset < 0 ? '-' : '+'));
            int minutes = Math.abs(offset) / 60;
            digits(minutes / 60, 2);
            append((byte) ':');
            digits(minutes % 60, 2);
        }
    }

    /** {@code uuuu-MM-dd HH:mm:ss.SSSSSS}: the fraction cut (not rounded) to microseconds, as the formatter does. */
    private void dateTime(int year, int month, int day, int hour, int minute, int second, int nano) {
        digits(year, 4);
        append((byte) '-');
        digits(month, 2);
        append((byte) '-');
        digits(day, 2);
        append((byte) ' ');
        digits(hour, 2);
        append((byte) ':');
        digits(minute, 2);
        append((byte) ':');
        digits(second, 2);
        append((byte) '.');
        digits(nano / 1_000, 6);
    }

    /** A non-negative number in exactly {@code width} digits, zeros in front. */
    private void digits(long value, int width) {
        ensure(width);
        for (int i = size + width - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    private void whole(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int width = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            width++;
        }
        digits(value, width);
    }

    /** Text known to be ASCII (digits, signs, a formatter's output). */
    private void ascii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    private void utf8(String text) {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        ensure(encoded.length);
        System.arraycopy(encoded, 0, bytes, size, encoded.length);
        size += encoded.length;
    }

    private void append(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    private void ensure(int more) {
        ensureFrom(size, more);
    }

    private void ensureFrom(int at, int more) {
        if (at + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + more));
        }
    }
}
