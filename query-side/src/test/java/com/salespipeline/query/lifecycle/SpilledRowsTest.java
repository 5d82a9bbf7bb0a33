package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A buffer's rows spilled to a file come back as the buffer hands them out as arrays, value for value, whatever
 * their values; files of one buffer share its texts; a cut file is an error.
 */
class SpilledRowsTest {

    /**
     * Rows of (text, int, count, text, decimal, count, decimal, int), keyed in another order than their columns':
     * (the second text, the first, the last int, the first int).
     */
    private static final int[] KEY = {3, 0, 7, 1};
    private static final boolean[] KEY_IS_TEXT = {true, true, false, false};
    private static final int[] COUNTS = {2, 5};
    private static final int[] DECIMALS = {4, 6};
    private static final List<Integer> PARTS = List.of(0, 1);

    @TempDir
    Path directory;

    private final Random random = new Random(15L);

    @Test
    void rowsComeBackAsTheBufferHandsThemOutAcrossManyBuffersOfTheFile() throws IOException {
        List<Object[]> added = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            added.add(randomRow());
        }
        added.add(new Object[] {"", Integer.MIN_VALUE, Long.MIN_VALUE, "é \uD83D\uDE80", BigDecimal.ZERO,
                Long.MAX_VALUE, new BigDecimal("-98765432109876543210987654321.000001"), Integer.MAX_VALUE});
        added.add(new Object[] {"*", 0, 0L, "*", new BigDecimal("0.00"), 0L, BigDecimal.valueOf(Long.MIN_VALUE), -1});
        added.add(new Object[] {"*", 1, 1L, "*", new BigDecimal("1E+3"), -1L, new BigDecimal("-2.5E-7"), 1});
        // sums that leave a long, and a sum of fractions that comes to zero
        added.add(new Object[] {"x", 2, 3L, "y", BigDecimal.valueOf(Long.MAX_VALUE), 0L, new BigDecimal("1.25"), 2});
        added.add(new Object[] {"x", 2, 3L, "y", BigDecimal.valueOf(Long.MAX_VALUE), 0L, new BigDecimal("-1.25"), 2});

        PackedRows spilledBuffer = filled(added);
        SpilledRows spilled = new SpilledRows(spilledBuffer);
        List<Object[]> readBack = read(spilled, spill(spilled, spilledBuffer));

        List<Object[]> handedOut = new ArrayList<>();
        filled(added).drainSorted(PARTS, handedOut::add);
        assertThat(handedOut).hasSizeGreaterThan(10_000).hasSizeLessThan(added.size());
        // as texts, which tell a decimal's scale and a value's type apart as equals does, and differ cheaply
        assertThat(texts(readBack)).isEqualTo(texts(handedOut.stream().map(SpilledRowsTest::asRead).toList()));
        assertThat(spilledBuffer.size(0) + spilledBuffer.size(1)).isZero();
    }

    /** Also when the buffer forgot its rows between them: its texts' numbers stay. */
    @Test
    void twoFilesOfOneBufferShareItsTexts() throws IOException {
        PackedRows buffer = buffer(10);
        SpilledRows spilled = new SpilledRows(buffer);
        buffer.add(0, row("a", "b"));
        buffer.add(1, row("c", "a"));
        Path one = spill(spilled, buffer);
        buffer.add(1, row("f", "g"));
        buffer.clear();
        buffer.add(0, row("c", "d"));
        buffer.add(0, row("b", "e"));
        Path two = spill(spilled, buffer);

        assertThat(read(spilled, two)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(row("c", "d"), row("b", "e"));
        assertThat(read(spilled, one)).usingRecursiveFieldByFieldElementComparator()
                .containsExactly(row("c", "a"), row("a", "b"));
    }

    @Test
    void anEmptyFileHasNoRowAndACutOneIsAnError() throws IOException {
        PackedRows buffer = buffer(10);
        SpilledRows spilled = new SpilledRows(buffer);
        assertThat(read(spilled, spill(spilled, buffer))).isEmpty();

        buffer.add(0, randomRow());
        buffer.add(1, randomRow());
        Path file = spill(spilled, buffer);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> read(spilled, file)).isInstanceOf(IOException.class)
                .hasMessageContaining("ends in the middle");
    }

    @Test
    void moreValuesThanABitSetHoldsAreRefused() {
        int[] counts = IntStream.rangeClosed(1, 64).toArray();
        PackedRows buffer = new PackedRows(new int[] {0}, new boolean[] {false}, counts, new int[0], 65, 10, 1);
        assertThatThrownBy(() -> new SpilledRows(buffer)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 63 values in a row: 64");
    }

    private static PackedRows buffer(int keys) {
        return new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 8, keys, PARTS.size());
    }

    private static PackedRows filled(List<Object[]> rows) {
        PackedRows buffer = buffer(rows.size());
        for (Object[] row : rows) {
            buffer.add(Math.floorMod(row[0].hashCode(), PARTS.size()), row);
        }
        return buffer;
    }

    private Object[] randomRow() {
        // few keys of the first columns, so that rows are added up too
        return new Object[] {"key" + random.nextInt(300), random.nextInt(4) - 1,
                random.nextInt(3) == 0 ? random.nextLong() >> random.nextInt(64) : 0L, "*", decimal(),
                (long) random.nextInt(3) - 1, decimal(),
                random.nextBoolean() ? random.nextInt(40) * 1_000 : random.nextInt() >> random.nextInt(32)};
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

    private static List<String> texts(List<Object[]> rows) {
        return rows.stream().map(row -> Arrays.stream(row).map(value -> value.getClass().getSimpleName() + ":" + value)
                .toList().toString()).toList();
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

    private Path spill(SpilledRows spilled, PackedRows buffer) throws IOException {
        Path file = Files.createTempFile(directory, "rows", ".run");
        try (SpilledRows.Writer out = spilled.writer(file)) {
            buffer.drainSortedHeld(PARTS, out::write);
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
