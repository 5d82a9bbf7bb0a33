package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.salespipeline.query.lifecycle.KeyOrderedRows.Kind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows spilled to a file come back equal, value for value, whatever their values; a cut file is an error. */
class SpilledRowsTest {

    private static final Kind[] KINDS = {Kind.TEXT, Kind.INT, Kind.COUNT, Kind.TEXT, Kind.DECIMAL, Kind.COUNT,
            Kind.DECIMAL, Kind.INT};

    @TempDir
    Path directory;

    private final Random random = new Random(15L);

    @Test
    void rowsComeBackAsTheyWereWrittenAcrossManyBuffers() throws IOException {
        SpilledRows spilled = new SpilledRows(KINDS);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(randomRow());
        }
        rows.add(new Object[] {"", Integer.MIN_VALUE, Long.MIN_VALUE, "é \uD83D\uDE80", BigDecimal.ZERO, Long.MAX_VALUE,
                new BigDecimal("-98765432109876543210987654321.000001"), Integer.MAX_VALUE});
        rows.add(new Object[] {"*", 0, 0L, "*", new BigDecimal("0.00"), 0L, BigDecimal.valueOf(Long.MIN_VALUE), -1});
        rows.add(new Object[] {"*", 1, 1L, "*", new BigDecimal("1E+3"), -1L, new BigDecimal("-2.5E-7"), 1});

        assertThat(writeAndReadBack(spilled, rows)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(rows.stream().map(SpilledRowsTest::asRead).toList());
    }

    @Test
    void twoFilesOfOneTableShareItsTexts() throws IOException {
        SpilledRows spilled = new SpilledRows(KINDS);
        List<Object[]> first = List.of(row("a", "b"), row("c", "a"));
        List<Object[]> second = List.of(row("c", "d"), row("b", "e"));
        Path one = write(spilled, first);
        Path two = write(spilled, second);

        assertThat(read(spilled, two)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(second);
        assertThat(read(spilled, one)).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(first);
    }

    @Test
    void anEmptyFileHasNoRowAndACutOneIsAnError() throws IOException {
        SpilledRows spilled = new SpilledRows(KINDS);
        assertThat(read(spilled, write(spilled, List.of()))).isEmpty();

        Path file = write(spilled, List.of(randomRow(), randomRow()));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> read(spilled, file)).isInstanceOf(IOException.class)
                .hasMessageContaining("ends in the middle");
    }

    @Test
    void moreValuesThanABitSetHoldsAreRefused() {
        Kind[] kinds = new Kind[64];
        Arrays.fill(kinds, Kind.COUNT);
        assertThatThrownBy(() -> new SpilledRows(kinds)).isInstanceOf(IllegalArgumentException.class);
    }

    private Object[] randomRow() {
        return new Object[] {"key" + random.nextInt(300), random.nextInt() >> random.nextInt(32),
                random.nextInt(3) == 0 ? random.nextLong() >> random.nextInt(64) : 0L, "*", decimal(),
                (long) random.nextInt(3) - 1, decimal(), random.nextInt(40_000)};
    }

    private BigDecimal decimal() {
        return switch (random.nextInt(4)) {
            case 0 -> BigDecimal.ZERO;
            case 1 -> BigDecimal.valueOf(random.nextLong() >> random.nextInt(64));
            case 2 -> new BigDecimal(random.nextLong() + "" + Math.abs(random.nextLong()));
            default -> BigDecimal.valueOf(random.nextInt(), random.nextInt(6));
        };
    }

    private static Object[] row(String first, String second) {
        return new Object[] {first, 1, 2L, second, BigDecimal.TEN, 0L, BigDecimal.ZERO, 3};
    }

    /** A zero decimal of any scale is read back as plain zero: the sums it goes into are the same. */
    private static Object[] asRead(Object[] row) {
        Object[] read = row.clone();
        for (int i = 0; i < read.length; i++) {
            if (read[i] instanceof BigDecimal decimal && decimal.signum() == 0) {
                read[i] = BigDecimal.ZERO;
            }
        }
        return read;
    }

    private List<Object[]> writeAndReadBack(SpilledRows spilled, List<Object[]> rows) throws IOException {
        return read(spilled, write(spilled, rows));
    }

    private Path write(SpilledRows spilled, List<Object[]> rows) throws IOException {
        Path file = Files.createTempFile(directory, "rows", ".run");
        try (SpilledRows.Writer out = spilled.writer(file)) {
            for (Object[] row : rows) {
                out.write(row);
            }
        }
        return file;
    }

    private static List<Object[]> read(SpilledRows spilled, Path file) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        try (SpilledRows.Reader in = spilled.reader(file)) {
            for (Object[] row = in.read(); row != null; row = in.read()) {
                rows.add(row);
            }
        }
        return rows;
    }
}
