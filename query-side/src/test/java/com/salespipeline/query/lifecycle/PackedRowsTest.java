package com.salespipeline.query.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The packed buffer adds rows up per key exactly as a map of boxed sums would, and hands them out in the order of
 * their keys (texts as {@link String#compareTo} orders them, whatever order they were first seen in), part by part.
 */
class PackedRowsTest {

    /** Rows of (count, name, day, total, n): the key is (name, day), as a primary key may order columns. */
    private static final int[] KEY = {1, 2};
    private static final boolean[] KEY_IS_TEXT = {true, false};
    private static final int[] COUNTS = {0, 4};
    private static final int[] DECIMALS = {3};
    private static final Comparator<List<Object>> BY_KEY = Comparator
            .comparing((List<Object> key) -> (String) key.get(0)).thenComparing(key -> (Integer) key.get(1));

    @Test
    void rowsComeOutAddedUpInKeyOrderLikeAMapOfTheirSums() {
        Random random = new Random(7);
        int parts = 3;
        PackedRows packed = new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 5, 30_000, parts);
        List<Map<List<Object>, Object[]>> expected = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            expected.add(new TreeMap<>(BY_KEY));
        }
        List<String> names = new ArrayList<>(List.of("m"));
        Object[] row = new Object[5];
        int drained = 0;
        for (int i = 0; i < 60_000; i++) {
            if (random.nextInt(500) == 0) {
                // texts first seen late, sorting before and after those seen earlier
                names.add(Character.toString('a' + random.nextInt(26)) + names.size());
            }
            row[1] = names.get(random.nextInt(names.size()));
            row[2] = random.nextInt(120) - 20;
            row[0] = (long) random.nextInt(7) - 3;
            row[4] = random.nextInt(50) == 0 ? Long.MAX_VALUE / 4 : (long) random.nextInt(1_000);
            row[3] = decimal(random);
            int part = Math.floorMod(row[1].hashCode(), parts);
            boolean isNew = packed.add(part, row);
            Object[] sums = expected.get(part).get(List.of(row[1], row[2]));
            assertThat(isNew).isEqualTo(sums == null);
            if (sums == null) {
                expected.get(part).put(List.of(row[1], row[2]), new Object[] {row[0], row[4], row[3]});
            } else {
                sums[0] = (Long) sums[0] + (Long) row[0];
                sums[1] = (Long) sums[1] + (Long) row[4];
                sums[2] = ((BigDecimal) sums[2]).add((BigDecimal) row[3]);
            }
            // the filled array is the caller's: changing it changes nothing held
            Arrays.fill(row, null);
            if (random.nextInt(3_000) == 0 || i == 59_999) {
                List<Integer> from = i == 59_999 ? List.of(0, 1, 2) : List.of(random.nextInt(parts));
                drained += drainAndCompare(packed, from, expected);
            }
        }
        assertThat(drained).isGreaterThan(5_000);
        for (int part = 0; part < parts; part++) {
            assertThat(packed.size(part)).isZero();
        }
    }

    private static BigDecimal decimal(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> BigDecimal.ZERO;
            case 1 -> BigDecimal.valueOf(Long.MAX_VALUE - random.nextInt(10));
            case 2 -> BigDecimal.valueOf(Long.MIN_VALUE + random.nextInt(10));
            case 3 -> new BigDecimal("1.25");
            case 4 -> new BigDecimal("123456789012345678901234567890");
            case 5 -> BigDecimal.valueOf(1, -3);
            default -> BigDecimal.valueOf(random.nextLong() / 1_000);
        };
    }

    private static int drainAndCompare(PackedRows packed, List<Integer> from,
                                       List<Map<List<Object>, Object[]>> expected) {
        List<String> out = new ArrayList<>();
        packed.drainSorted(from, row -> out.add(text(row[1], row[2], row[0], row[4], row[3])));
        TreeMap<List<Object>, Object[]> wanted = new TreeMap<>(BY_KEY);
        for (int part : from) {
            wanted.putAll(expected.get(part));
            expected.get(part).clear();
        }
        List<String> wantedRows = new ArrayList<>();
        wanted.forEach((key, sums) -> wantedRows.add(text(key.get(0), key.get(1), sums[0], sums[1], sums[2])));
        assertThat(out).isEqualTo(wantedRows);
        return out.size();
    }

    private static String text(Object name, Object day, Object count, Object n, Object total) {
        return name + " " + day + " " + count + " " + n + " " + ((BigDecimal) total).stripTrailingZeros().toPlainString();
    }

    @Test
    void slotsOfDrainedRowsAreTakenAgainAndNoMoreThanTheMostAreHeld() {
        PackedRows packed = new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 5, 50, 2);
        for (int round = 0; round < 20; round++) {
            for (int day = 0; day < 50; day++) {
                packed.add(day % 2, row("k", round * 100 + day, 1L, BigDecimal.valueOf(day)));
            }
            List<Object[]> rows = new ArrayList<>();
            packed.drainSorted(List.of(0, 1), rows::add);
            assertThat(rows).hasSize(50);
            assertThat(rows.get(49)).containsExactly(1L, "k", round * 100 + 49, BigDecimal.valueOf(49), 0L);
        }
        for (int day = 0; day < 50; day++) {
            packed.add(0, row("k", day, 1L, BigDecimal.ONE));
        }
        assertThatThrownBy(() -> packed.add(1, row("k", 50, 1L, BigDecimal.ONE)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 50 keys");
        packed.clear();
        assertThat(packed.size(0)).isZero();
        assertThat(packed.add(1, row("k", 50, 1L, BigDecimal.ONE))).isTrue();
    }

    /**
     * Keys of whole numbers come out in their order whether they fit one long with the slot (small ranges, negative
     * ones included) or not (two columns over the whole range of an int, sorted by comparing them).
     */
    @Test
    void wholeNumberKeysComeOutInOrderWhetherTheyFitALongOrNot() {
        for (int range : new int[] {50, Integer.MAX_VALUE}) {
            Random random = new Random(range);
            PackedRows packed = new PackedRows(new int[] {0, 1}, new boolean[] {false, false}, new int[] {2},
                    new int[0], 3, 10_000, 1);
            TreeMap<List<Integer>, Long> expected = new TreeMap<>(Comparator.comparing((List<Integer> key) -> key.get(0))
                    .thenComparing(key -> key.get(1)));
            for (int i = 0; i < 5_000; i++) {
                int first = range == 50 ? random.nextInt(range) - 25 : random.nextInt() | (i % 2 == 0 ? 0 : 1 << 31);
                int second = range == 50 ? random.nextInt(range) : random.nextInt();
                packed.add(0, new Object[] {first, second, 1L});
                expected.merge(List.of(first, second), 1L, Long::sum);
            }
            List<String> out = new ArrayList<>();
            packed.drainSorted(List.of(0), row -> out.add(row[0] + " " + row[1] + " " + row[2]));
            List<String> wanted = new ArrayList<>();
            expected.forEach((key, count) -> wanted.add(key.get(0) + " " + key.get(1) + " " + count));
            assertThat(out).as("range %s", range).hasSizeGreaterThan(range == 50 ? 1_000 : 4_900).isEqualTo(wanted);
        }
    }

    /** Whole numbers that each fit a long add up past a long's range, both ways, and stay exact. */
    @Test
    void decimalSumsPastALongStayExact() {
        PackedRows packed = new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 5, 50, 1);
        BigDecimal large = BigDecimal.valueOf(999_999_999_999_999_999L);
        for (int i = 0; i < 25; i++) {
            packed.add(0, row("up", 1, 1L, large));
            packed.add(0, row("down", 1, 1L, large.negate()));
            packed.add(0, row("mixed", 1, 1L, i % 2 == 0 ? large : new BigDecimal("0.5")));
        }
        List<Object[]> rows = new ArrayList<>();
        packed.drainSorted(List.of(0), rows::add);
        assertThat(rows).extracting(row -> row[1] + " " + ((BigDecimal) row[3]).toPlainString()).containsExactly(
                "down -24999999999999999975", "mixed 12999999999999999993.0", "up 24999999999999999975");
    }

    /**
     * A drain whose reader fails half way leaves its parts empty and their slots free (the rows not read are lost, as
     * a failed spill loses them); a new key whose value is of the wrong kind is refused without taking a slot.
     */
    @Test
    void failuresLeaveTheBufferWhole() {
        PackedRows packed = new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 5, 10, 2);
        for (int day = 0; day < 10; day++) {
            packed.add(day % 2, row("k", day, 1L, BigDecimal.ONE));
        }
        List<Object[]> read = new ArrayList<>();
        assertThatThrownBy(() -> packed.drainSorted(List.of(0, 1), row -> {
            if (read.size() == 3) {
                throw new IllegalStateException("disk full");
            }
            read.add(row);
        })).hasMessage("disk full");
        assertThat(packed.size(0) + packed.size(1)).isZero();

        Object[] wrongKind = row("k", 99, 1L, BigDecimal.ONE);
        wrongKind[4] = 1;
        assertThatThrownBy(() -> packed.add(0, wrongKind)).isInstanceOf(ClassCastException.class);
        assertThat(packed.size(0)).isZero();
        // all ten slots are free again: ten new keys fit, and they come out alone
        for (int day = 10; day < 20; day++) {
            assertThat(packed.add(0, row("k", day, 2L, BigDecimal.TEN))).isTrue();
        }
        List<Object[]> rows = new ArrayList<>();
        packed.drainSorted(List.of(0, 1), rows::add);
        assertThat(rows).extracting(row -> row[2] + " " + row[0] + " " + row[3])
                .containsExactly("10 2 10", "11 2 10", "12 2 10", "13 2 10", "14 2 10", "15 2 10", "16 2 10", "17 2 10",
                        "18 2 10", "19 2 10");
    }

    /** A spill's drain that fails to write (a checked failure) leaves its parts empty and their slots free too. */
    @Test
    void aDrainAsHeldThatFailsLeavesTheBufferWhole() {
        PackedRows packed = new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 5, 10, 2);
        for (int day = 0; day < 10; day++) {
            packed.add(day % 2, row("k", day, 1L, BigDecimal.ONE));
        }
        List<Integer> written = new ArrayList<>();
        assertThatThrownBy(() -> packed.drainSortedHeld(List.of(0, 1), row -> {
            if (written.size() == 3) {
                throw new IOException("disk full");
            }
            written.add(row.key(1));
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(written).containsExactly(0, 1, 2);
        assertThat(packed.size(0) + packed.size(1)).isZero();

        for (int day = 10; day < 20; day++) {
            assertThat(packed.add(day % 2, row("k", day, 2L, BigDecimal.TEN))).isTrue();
        }
        List<Object[]> rows = new ArrayList<>();
        packed.drainSorted(List.of(0, 1), rows::add);
        assertThat(rows).extracting(row -> (Integer) row[2]).containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }

    @Test
    void aRowWithoutItsKeyIsRefused() {
        PackedRows packed = new PackedRows(KEY, KEY_IS_TEXT, COUNTS, DECIMALS, 5, 50, 1);
        assertThatThrownBy(() -> packed.add(0, row(null, 1, 1L, BigDecimal.ONE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key column 1");
        assertThat(packed.size(0)).isZero();
    }

    private static Object[] row(String name, Integer day, long count, BigDecimal total) {
        return new Object[] {count, name, day, total, 0L};
    }
}
