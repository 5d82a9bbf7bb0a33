package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The values written digit by digit are, byte for byte, what the formatter, {@code toString} and
 * {@code String.getBytes} wrote before: a COPY reads the same rows as it did.
 */
class CsvBytesTest {

    private final Random random = new Random(20261201L);

    @Test
    void instantsAreWrittenAsTheFormatterWritesThemInUtc() {
        long earliest = Instant.parse("-0400-01-01T00:00:00Z").getEpochSecond();
        long latest = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(earliest + (long) (random.nextDouble() * (latest - earliest)),
                    random.nextInt(1_000_000_000));
            assertThat(written(instant)).as("%s", instant)
                    .isEqualTo(CsvBytes.TIMESTAMP.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2000-02-29T12:00:00.000001Z",
                "2100-03-01T00:00:00Z", "1600-02-29T23:59:59Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(written(instant)).as(edge)
                    .isEqualTo(CsvBytes.TIMESTAMP.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)));
        }
    }

    @Test
    void offsetDateTimesKeepTheirOffsetAsTheFormatterWritesIt() {
        for (int i = 0; i < 50_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, random.nextInt(1_000_000_000));
            // whole minutes mostly (the fast path), whole seconds now and then (the formatter's)
            int offsetSeconds = random.nextInt(10) == 0 ? random.nextInt(2 * 18 * 3600 + 1) - 18 * 3600
                    : (random.nextInt(2 * 18 * 60 + 1) - 18 * 60) * 60;
            OffsetDateTime time = OffsetDateTime.ofInstant(instant, ZoneOffset.ofTotalSeconds(offsetSeconds));
            assertThat(written(time)).as("%s", time).isEqualTo(CsvBytes.TIMESTAMP.format(time));
        }
    }

    @Test
    void textIsQuotedWithItsQuotesDoubledInUtf8() {
        String[] texts = {"", "plain", "a \"quoted\" word", "\"", "\"\"", "comma, and\nnewline", "back\\slash",
                "Zoë Ñúñez", "a \"quote\" and é", "emoji \uD83D\uDE80 here", "lone \uD800 surrogate", "\u0000"};
        for (String text : texts) {
            assertThat(bytes(text)).as(text)
                    .isEqualTo(("\"" + text.replace("\"", "\"\"") + "\"").getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[random.nextInt(40)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = random.nextInt(8) == 0 ? '"' : random.nextInt(20) == 0 ? (char) random.nextInt(0x10000)
                        : (char) (0x20 + random.nextInt(0x5f));
            }
            String text = new String(chars);
            assertThat(bytes(text)).isEqualTo(("\"" + text.replace("\"", "\"\"") + "\"")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void numbersAreWrittenAsToStringWritesThem() {
        long[] edges = {0, 1, -1, 9, 10, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 1_000_000_000_000_000_000L, -999_999_999_999_999_999L};
        for (long edge : edges) {
            assertThat(written(edge)).isEqualTo(Long.toString(edge));
            assertThat(written(BigDecimal.valueOf(edge))).isEqualTo(Long.toString(edge));
        }
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong() >> random.nextInt(64);
            assertThat(written(value)).isEqualTo(Long.toString(value));
            assertThat(written((int) value)).isEqualTo(Integer.toString((int) value));
        }
        for (String decimal : new String[] {"12345678901234567890123", "-0.5", "1.10", "1E+3", "0.000", "-1E-30"}) {
            assertThat(written(new BigDecimal(decimal))).isEqualTo(new BigDecimal(decimal).toPlainString());
        }
    }

    @Test
    void otherValuesAreTheirTextAndNullIsNothing() {
        UUID id = UUID.randomUUID();
        assertThat(written(id)).isEqualTo(id.toString());
        assertThat(written(true)).isEqualTo("true");
        assertThat(written(null)).isEmpty();
    }

    @Test
    void valuesFollowOneAnotherPastTheFirstCapacity() {
        CsvBytes csv = new CsvBytes(4);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            csv.value("row \"" + i + "\"");
            csv.comma();
            csv.value((long) i);
            csv.newline();
            expected.append("\"row \"\"").append(i).append("\"\"\",").append(i).append('\n');
        }
        assertThat(new String(csv.bytes(), 0, csv.size(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        csv.clear();
        assertThat(csv.size()).isZero();
    }

    private static String written(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Object value) {
        // a small start, so that growing the buffer in the middle of a value is exercised too
        CsvBytes csv = new CsvBytes(3);
        csv.value(value);
        return Arrays.copyOf(csv.bytes(), csv.size());
    }
}
