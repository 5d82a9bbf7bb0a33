package com.salespipeline.query.lifecycle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * Rows in the binary format of PostgreSQL's {@code COPY ... FROM STDIN WITH (FORMAT binary)}, straight into bytes.
 * The server reads each value as it is stored instead of parsing its text: a million rows of timestamps and UUIDs
 * took it 3.0-3.4 s against 5.1-6.2 s in CSV, rows of whole numbers 1.3 s against 1.5-1.8 s (docs/benchmarks.md,
 * session 18). Binary values must have the column's exact type, so each column's type is given, as the server names
 * it.
 */
final class CopyBinary {

    /** A column's type, as the binary format writes its values. */
    enum Type {
        TEXT, INT4, INT8, NUMERIC, TIMESTAMPTZ, BOOL, UUID;

        /** The type of a column that PostgreSQL names {@code name} ({@code ResultSetMetaData.getColumnTypeName}). */
        static Type of(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "text", "varchar", "bpchar" -> TEXT;
                case "int4" -> INT4;
                case "int8" -> INT8;
                case "numeric" -> NUMERIC;
                case "timestamptz" -> TIMESTAMPTZ;
                case "bool" -> BOOL;
                case "uuid" -> UUID;
                default -> throw new IllegalArgumentException("cannot copy a column of type " + name + " in binary");
            };
        }
    }

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds since 1970's. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    private static final int NUMERIC_NEGATIVE = 0x4000;
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    private final String table;
    private final String[] columns;
    private final Type[] types;
    private byte[] bytes;
    private int size;

    /** @param columns the columns' names, for errors, with their types in the same order */
    CopyBinary(String table, String[] columns, Type[] types, int capacity) {
        if (columns.length != types.length) {
            throw new IllegalArgumentException(columns.length + " columns with " + types.length + " types");
        }
        this.table = table;
        this.columns = columns.clone();
        this.types = types.clone();
        this.bytes = new byte[capacity];
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

    /** What a copy starts with: the signature, no flags, no header extension. */
    void header() {
        ensure(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, bytes, size, SIGNATURE.length);
        size += SIGNATURE.length;
        int32(0);
        int32(0);
    }

    /** What a copy ends with. */
    void trailer() {
        ensure(2);
        int16(-1);
    }

    /** One row, a value per column in their order; null is NULL. */
    void row(Object[] row) {
        if (row.length != types.length) {
            throw new IllegalArgumentException("a row of " + row.length + " values for the " + types.length
                    + " columns of " + table);
        }
        ensure(2);
        int16(types.length);
        for (int column = 0; column < row.length; column++) {
            value(column, row[column]);
        }
    }

    private void value(int column, Object value) {
        if (value == null) {
            ensure(4);
            int32(-1);
            return;
        }
        switch (types[column]) {
            case TEXT -> text(String.valueOf(value));
            case INT4 -> {
                long number = whole(column, value);
                if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
                    throw refused(column, value, "does not fit a 32-bit integer");
                }
                ensure(8);
                int32(4);
                int32((int) number);
            }
            case INT8 -> {
                long number = whole(column, value);
                ensure(12);
                int32(8);
                int64(number);
            }
            case NUMERIC -> numeric(decimal(column, value));
            case TIMESTAMPTZ -> {
                Instant instant = instant(column, value);
                long micros;
                try {
                    // whole microseconds, the nanoseconds beyond cut off (as a text of six decimals would be)
                    micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond() - POSTGRES_EPOCH_SECONDS,
                            1_000_000L), instant.getNano() / 1_000);
                } catch (ArithmeticException e) {
                    throw refused(column, value, "is beyond the timestamps of PostgreSQL");
                }
                ensure(12);
                int32(8);
                int64(micros);
            }
            case BOOL -> {
                if (!(value instanceof Boolean flag)) {
                    throw refused(column, value, "is not a boolean");
                }
                ensure(5);
                int32(1);
                bytes[size++] = (byte) (flag ? 1 : 0);
            }
            case UUID -> {
                java.util.UUID id = uuid(column, value);
                ensure(20);
                int32(16);
                int64(id.getMostSignificantBits());
                int64(id.getLeastSignificantBits());
            }
        }
    }

    /** UTF-8, ASCII a character at a time: nearly every text here is ASCII, and getBytes would copy it first. */
    private void text(String text) {
        int length = text.length();
        ensure(4 + 3 * length);
        int lengthAt = size;
        size += 4;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                size = lengthAt + 4;
                ensure(utf8.length);
                System.arraycopy(utf8, 0, bytes, size, utf8.length);
                size += utf8.length;
                break;
            }
            bytes[size++] = (byte) c;
        }
        int written = size - lengthAt - 4;
        size = lengthAt;
        int32(written);
        size += written;
    }

    /**
     * A numeric as PostgreSQL sends it: digits of base 10,000, the weight of the first, the sign and the number of
     * decimals shown, leading and trailing zero digits left out.
     */
    private void numeric(BigDecimal value) {
        BigDecimal decimal = value.scale() < 0 ? value.setScale(0) : value;
        int scale = decimal.scale();
        // decimals filled up to whole digits of base 10,000
        int fractionDigits = (scale + 3) / 4;
        BigInteger unscaled = decimal.unscaledValue();
        int sign = unscaled.signum() < 0 ? NUMERIC_NEGATIVE : 0;
        BigInteger magnitude = unscaled.abs().multiply(BigInteger.TEN.pow(fractionDigits * 4 - scale));
        short[] digits = new short[magnitude.bitLength() / 13 + 2];
        int count = 0;
        if (magnitude.bitLength() < 63) {
            for (long rest = magnitude.longValue(); rest != 0; rest /= 10_000) {
                digits[count++] = (short) (rest % 10_000);
            }
        } else {
            for (BigInteger rest = magnitude; rest.signum() != 0; ) {
                BigInteger[] quotientAndRemainder = rest.divideAndRemainder(TEN_THOUSAND);
                digits[count++] = quotientAndRemainder[1].shortValue();
                rest = quotientAndRemainder[0];
            }
        }
        // digits[0] is the last: its weight is -fractionDigits; leave out the trailing zeros
        int last = 0;
        while (last < count && digits[last] == 0) {
            last++;
        }
        int weight = count - 1 - fractionDigits;
        int written = count - last;
        ensure(4 + 8 + 2 * written);
        int32(8 + 2 * written);
        int16(written);
        int16(written == 0 ? 0 : weight);
        int16(written == 0 ? 0 : sign);
        int16(scale);
        for (int i = count - 1; i >= last; i--) {
            int16(digits[i]);
        }
    }

    private long whole(int column, Object value) {
        if (value instanceof Long number) {
            return number;
        }
        if (value instanceof Integer number) {
            return number;
        }
        if (value instanceof Short number) {
            return number;
        }
        if (value instanceof BigDecimal decimal) {
            try {
                return decimal.longValueExact();
            } catch (ArithmeticException e) {
                throw refused(column, value, "is not a 64-bit whole number");
            }
        }
        throw refused(column, value, "is not a whole number");
    }

    private BigDecimal decimal(int column, Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger number) {
            return new BigDecimal(number);
        }
        throw refused(column, value, "is not a decimal number");
    }

    private Instant instant(int column, Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        throw refused(column, value, "is not an instant");
    }

    private java.util.UUID uuid(int column, Object value) {
        if (value instanceof java.util.UUID id) {
            return id;
        }
        if (value instanceof String text) {
            try {
                return java.util.UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw refused(column, value, "is not a UUID");
            }
        }
        throw refused(column, value, "is not a UUID");
    }

    private IllegalArgumentException refused(int column, Object value, String why) {
        return new IllegalArgumentException("cannot copy into " + table + "." + columns[column] + ": \"" + value
                + "\" (" + value.getClass().getSimpleName() + ") " + why);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    private void int16(int value) {
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void int32(int value) {
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    private void int64(long value) {
        int32((int) (value >>> 32));
        int32((int) value);
    }
}
