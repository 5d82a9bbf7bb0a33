package com.salespipeline.query.lifecycle;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The buffer of a {@link KeyOrderedRows}: rows added up per key, in parts, held in primitive arrays rather than an
 * object (and a hash map's node, and an array of boxed values) per row. A replay adds about 34 rows a contact to a
 * buffer of 100,000 keys; with a row an object graph, finding a key cost a chain of cache misses, and sorting it
 * for a spill another (a third of the thread adding up the aggregates, JFR, docs/benchmarks.md, session 19). Here a
 * key is found in an open-addressing table of longs (its hash beside its slot), and a slot's key is a few ints:
 * texts are numbered in a dictionary of their column, sorted by their numbers' ranks.
 *
 * <p>Sums of decimals are kept as longs while they fit one and are whole; whatever does not is added up as a
 * {@link BigDecimal} beside it, so every sum is exact.
 */
final class PackedRows {

    private static final long EMPTY = 0L;
    private static final int FIRST_SLOTS = 1_024;

    private final int[] keyPositions;
    private final boolean[] keyIsText;
    private final int[] countPositions;
    private final int[] decimalPositions;
    private final int width;
    private final int maxSlots;

    private int[] keys;
    private int[] hashes;
    private long[] counts;
    private long[] decimals;
    /** The part of a decimal sum that is not a whole number fitting a long; null when there is none. */
    private BigDecimal[] decimalRests;
    /** Slots below this were taken at some time; those freed since are on {@link #free}. */
    private int usedSlots;
    private int[] free = new int[16];
    private int freeCount;

    private final Part[] parts;

    /**
     * Per key column of texts, its texts numbered; null for a column of whole numbers. A column's own numbers are
     * few, so that a sort packs a key of several columns into one long.
     */
    private final TextDictionary[] texts;
    /** Per column of texts, the rank of each of its numbers in the order of its texts; redone when texts were added. */
    private final int[][] textRanks;

    /** The key of the row being added, reused. */
    private final int[] probe;

    /**
     * @param keyPositions     positions in a row of its key columns, in the order rows are sorted by
     * @param keyIsText        for each of them, whether it holds a text (else an {@link Integer})
     * @param countPositions   positions of the values added up as longs
     * @param decimalPositions positions of the values added up as decimals
     * @param width            the columns of a row
     * @param maxSlots         the most keys held at once, in all parts
     * @param parts            how many parts the keys are kept in
     */
    PackedRows(int[] keyPositions, boolean[] keyIsText, int[] countPositions, int[] decimalPositions, int width,
               int maxSlots, int parts) {
        this.keyPositions = keyPositions.clone();
        this.keyIsText = keyIsText.clone();
        this.countPositions = countPositions.clone();
        this.decimalPositions = decimalPositions.clone();
        this.width = width;
        this.maxSlots = maxSlots;
        this.probe = new int[keyPositions.length];
        this.texts = new TextDictionary[keyPositions.length];
        this.textRanks = new int[keyPositions.length][];
        for (int i = 0; i < keyPositions.length; i++) {
            if (keyIsText[i]) {
                texts[i] = new TextDictionary();
                textRanks[i] = new int[0];
            }
        }
        this.parts = new Part[parts];
        for (int i = 0; i < parts; i++) {
            this.parts[i] = new Part();
        }
        allocate(Math.min(maxSlots, FIRST_SLOTS));
    }

    /** The keys held in {@code part}. */
    int size(int part) {
        return parts[part].size;
    }

    /**
     * Adds a row to the one of its key in {@code part}, or keeps it as a new key; returns whether it was new. Its
     * key columns must not be null; its texts are numbered, not kept as they are.
     */
    boolean add(int part, Object[] row) {
        int hash = keyOf(row);
        Part into = parts[part];
        int mask = into.table.length - 1;
        for (int index = hash & mask; ; index = (index + 1) & mask) {
            long entry = into.table[index];
            if (entry == EMPTY) {
                int slot = takeSlot();
                System.arraycopy(probe, 0, keys, slot * probe.length, probe.length);
                hashes[slot] = hash;
                Arrays.fill(counts, slot * countPositions.length, (slot + 1) * countPositions.length, 0L);
                Arrays.fill(decimals, slot * decimalPositions.length, (slot + 1) * decimalPositions.length, 0L);
                try {
                    addValues(slot, row);
                } catch (RuntimeException e) {
                    // a value of the wrong kind: the row is not kept, and neither is its slot
                    release(slot);
                    throw e;
                }
                into.table[index] = entryOf(hash, slot);
                if (++into.size * 2 > into.table.length) {
                    into.grow(hashes);
                }
                return true;
            }
            if ((int) (entry >>> 32) == hash && sameKey((int) entry - 1)) {
                addValues((int) entry - 1, row);
                return false;
            }
        }
    }

    /**
     * Hands the rows of {@code from} to {@code rows} in key order, each added up and an array of its own, and
     * empties those parts. The parts are empty afterwards even when {@code rows} throws: the rows not handed out yet
     * are then lost, the buffer stays whole.
     */
    void drainSorted(List<Integer> from, Consumer<Object[]> rows) {
        drainSlots(from, slot -> rows.accept(fill(new Object[width], slot)));
    }

    /**
     * Hands the rows of {@code from} to {@code rows} in key order as they are held, numbers rather than boxed values
     * and texts: one {@link Held} moved from row to row. A spill writes them so, where filling an array first boxed
     * every count, only for the writer to unbox it and look each text up in a dictionary again (734 of the 2,653
     * samples of the thread adding up a replay's aggregates at 1M; docs/benchmarks.md, session 21). Empties the parts as
     * {@link #drainSorted(List, Consumer)} does.
     */
    void drainSortedHeld(List<Integer> from, HeldRows rows) throws IOException {
        Held row = new Held();
        drainSlots(from, slot -> {
            row.slot = slot;
            rows.accept(row);
        });
    }

    /** Takes the rows of a drain as they are held. */
    interface HeldRows {
        void accept(Held row) throws IOException;
    }

    /** What a drain does with each slot, in key order. */
    private interface SlotAction<E extends Exception> {
        void accept(int slot) throws E;
    }

    private <E extends Exception> void drainSlots(List<Integer> from, SlotAction<E> action) throws E {
        int total = 0;
        for (int part : from) {
            total += parts[part].size;
        }
        int[] slots = new int[total];
        int taken = 0;
        for (int part : from) {
            taken = parts[part].slotsInto(slots, taken);
            parts[part].clear();
        }
        try {
            rankTexts();
            if (!sortedAsLongs(slots)) {
                sortByKey(slots);
            }
            for (int slot : slots) {
                action.accept(slot);
            }
        } finally {
            for (int slot : slots) {
                release(slot);
            }
        }
    }

    /** Where a row's keys, counts and decimals go in an array of its columns. */
    Layout layout() {
        return new Layout(width, keyPositions.clone(), keyIsText.clone(), countPositions.clone(),
                decimalPositions.clone());
    }

    /** What a reader needs to put a spilled row's values back in their columns; its arrays are copies. */
    record Layout(int width, int[] keyPositions, boolean[] keyIsText, int[] countPositions, int[] decimalPositions) {
    }

    /**
     * The text numbered {@code number} in the dictionary of key column {@code key}; the same instance every time. A
     * merge reads it on a thread of its own, so no row may be added meanwhile: the dictionaries are not thread-safe.
     */
    String text(int key, int number) {
        return texts[key].text(number);
    }

    /** How many texts key column {@code key} has numbered. */
    int texts(int key) {
        return texts[key].size();
    }

    /**
     * A held row, read in place until the drain moves it on. Its keys are in the order of the key columns given,
     * each a text's number in its column's dictionary ({@link #text}) or a whole number as it is.
     */
    final class Held {
        private int slot;

        int key(int i) {
            return keys[slot * probe.length + i];
        }

        long count(int i) {
            return counts[slot * countPositions.length + i];
        }

        /** Whether the sum of decimal {@code i} is {@link #wholeDecimal} alone, a long. */
        boolean decimalIsWhole(int i) {
            return decimalRests[slot * decimalPositions.length + i] == null;
        }

        long wholeDecimal(int i) {
            return decimals[slot * decimalPositions.length + i];
        }

        BigDecimal decimal(int i) {
            return decimalSum(slot * decimalPositions.length + i);
        }
    }

    /**
     * Forgets every row, not the texts' numbers: runs spilled before name their texts by those numbers, and are read
     * back through {@link #text} afterwards.
     */
    void clear() {
        for (Part part : parts) {
            part.clear();
        }
        Arrays.fill(decimalRests, 0, usedSlots * decimalPositions.length, null);
        usedSlots = 0;
        freeCount = 0;
    }

    /** Numbers the row's key into {@link #probe}; returns its hash. */
    private int keyOf(Object[] row) {
        int hash = 0;
        for (int i = 0; i < probe.length; i++) {
            Object value = row[keyPositions[i]];
            if (value == null) {
                throw new IllegalArgumentException("a row without its key column " + keyPositions[i]);
            }
            int number = texts[i] != null ? texts[i].idOf((String) value) : (Integer) value;
            probe[i] = number;
            hash = (hash + number) * 0x9E3779B1;
        }
        // the multiplications leave the low bits, which pick the table's slot, the weakest: mix the high ones in
        hash ^= hash >>> 15;
        hash *= 0x85EBCA6B;
        return hash ^ (hash >>> 13);
    }

    private boolean sameKey(int slot) {
        int base = slot * probe.length;
        for (int i = 0; i < probe.length; i++) {
            if (keys[base + i] != probe[i]) {
                return false;
            }
        }
        return true;
    }

    private void addValues(int slot, Object[] row) {
        int base = slot * countPositions.length;
        for (int i = 0; i < countPositions.length; i++) {
            counts[base + i] += (Long) row[countPositions[i]];
        }
        base = slot * decimalPositions.length;
        for (int i = 0; i < decimalPositions.length; i++) {
            BigDecimal value = (BigDecimal) row[decimalPositions[i]];
            if (value.signum() == 0) {
                continue;
            }
            // a whole number of at most 18 digits is a long; a sum that leaves a long's range is caught below
            if (value.scale() == 0 && value.precision() <= 18) {
                long sum = decimals[base + i];
                long added = value.longValue();
                long result = sum + added;
                if (((sum ^ result) & (added ^ result)) >= 0) {
                    decimals[base + i] = result;
                    continue;
                }
            }
            BigDecimal rest = decimalRests[base + i];
            decimalRests[base + i] = rest == null ? value : rest.add(value);
        }
    }

    private Object[] fill(Object[] row, int slot) {
        int base = slot * probe.length;
        for (int i = 0; i < probe.length; i++) {
            int number = keys[base + i];
            row[keyPositions[i]] = texts[i] != null ? texts[i].text(number) : Integer.valueOf(number);
        }
        base = slot * countPositions.length;
        for (int i = 0; i < countPositions.length; i++) {
            row[countPositions[i]] = counts[base + i];
        }
        for (int i = 0; i < decimalPositions.length; i++) {
            row[decimalPositions[i]] = decimalSum(slot * decimalPositions.length + i);
        }
        return row;
    }

    private BigDecimal decimalSum(int at) {
        BigDecimal sum = BigDecimal.valueOf(decimals[at]);
        BigDecimal rest = decimalRests[at];
        return rest == null ? sum : rest.add(sum);
    }

    private int takeSlot() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (usedSlots == hashes.length) {
            if (usedSlots >= maxSlots) {
                throw new IllegalStateException("more than " + maxSlots + " keys held at once");
            }
            allocate(Math.min(maxSlots, 2 * usedSlots));
        }
        return usedSlots++;
    }

    private void release(int slot) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, 2 * free.length);
        }
        free[freeCount++] = slot;
        Arrays.fill(decimalRests, slot * decimalPositions.length, (slot + 1) * decimalPositions.length, null);
    }

    private void allocate(int slots) {
        keys = keys == null ? new int[slots * probe.length] : Arrays.copyOf(keys, slots * probe.length);
        hashes = hashes == null ? new int[slots] : Arrays.copyOf(hashes, slots);
        counts = counts == null ? new long[slots * countPositions.length]
                : Arrays.copyOf(counts, slots * countPositions.length);
        decimals = decimals == null ? new long[slots * decimalPositions.length]
                : Arrays.copyOf(decimals, slots * decimalPositions.length);
        decimalRests = decimalRests == null ? new BigDecimal[slots * decimalPositions.length]
                : Arrays.copyOf(decimalRests, slots * decimalPositions.length);
    }

    private void rankTexts() {
        for (int i = 0; i < probe.length; i++) {
            TextDictionary column = texts[i];
            if (column == null || textRanks[i].length == column.size()) {
                continue;
            }
            Integer[] byText = new Integer[column.size()];
            for (int id = 0; id < byText.length; id++) {
                byText[id] = id;
            }
            Arrays.sort(byText, (a, b) -> column.text(a).compareTo(column.text(b)));
            int[] ranks = new int[byText.length];
            for (int rank = 0; rank < byText.length; rank++) {
                ranks[byText[rank]] = rank;
            }
            textRanks[i] = ranks;
        }
    }

    /**
     * Sorts slots by their keys packed into one long each with the slot, when they fit: a text's rank, a whole
     * number less the smallest of its column. Sorting primitives is many times faster than comparing keys read
     * from all over the arrays (a sixth of the adding up at 200,000 contacts). Keys are unique among the slots,
     * so the slot in the low bits never decides.
     */
    private boolean sortedAsLongs(int[] slots) {
        int columns = probe.length;
        long[] smallest = new long[columns];
        int[] bits = new int[columns];
        int total = bitsFor(usedSlots);
        for (int i = 0; i < columns; i++) {
            long least = 0;
            long most = texts[i] != null ? texts[i].size() - 1L : 0;
            if (texts[i] == null) {
                least = Long.MAX_VALUE;
                most = Long.MIN_VALUE;
                for (int slot : slots) {
                    int value = keys[slot * columns + i];
                    least = Math.min(least, value);
                    most = Math.max(most, value);
                }
            }
            smallest[i] = least;
            bits[i] = bitsFor(most - least);
            total += bits[i];
        }
        if (total > 63 || slots.length == 0) {
            return slots.length == 0;
        }
        int slotBits = bitsFor(usedSlots);
        long[] packed = new long[slots.length];
        for (int n = 0; n < slots.length; n++) {
            int slot = slots[n];
            long value = 0;
            for (int i = 0; i < columns; i++) {
                int key = keys[slot * columns + i];
                value = (value << bits[i]) | (texts[i] != null ? textRanks[i][key] : key - smallest[i]);
            }
            packed[n] = (value << slotBits) | slot;
        }
        Arrays.sort(packed);
        long slotMask = (1L << slotBits) - 1;
        for (int n = 0; n < slots.length; n++) {
            slots[n] = (int) (packed[n] & slotMask);
        }
        return true;
    }

    /** The bits that hold every whole number from 0 to {@code most}. */
    private static int bitsFor(long most) {
        return 64 - Long.numberOfLeadingZeros(Math.max(0, most));
    }

    /** Sorts slots by their keys in the order of {@link #keyPositions}, texts by their ranks. */
    private void sortByKey(int[] slots) {
        int[] buffer = new int[slots.length];
        // bottom-up merge sort: no boxing of the slots, and stable
        for (int run = 1; run < slots.length; run *= 2) {
            for (int from = 0; from < slots.length - run; from += 2 * run) {
                merge(slots, buffer, from, from + run, Math.min(from + 2 * run, slots.length));
            }
        }
    }

    private void merge(int[] slots, int[] buffer, int from, int middle, int to) {
        if (compare(slots[middle - 1], slots[middle]) <= 0) {
            return;
        }
        System.arraycopy(slots, from, buffer, from, to - from);
        int left = from;
        int right = middle;
        for (int i = from; i < to; i++) {
            if (right >= to || (left < middle && compare(buffer[left], buffer[right]) <= 0)) {
                slots[i] = buffer[left++];
            } else {
                slots[i] = buffer[right++];
            }
        }
    }

    private int compare(int a, int b) {
        int baseA = a * probe.length;
        int baseB = b * probe.length;
        for (int i = 0; i < probe.length; i++) {
            int x = keys[baseA + i];
            int y = keys[baseB + i];
            if (x != y) {
                return texts[i] == null ? Integer.compare(x, y) : Integer.compare(textRanks[i][x], textRanks[i][y]);
            }
        }
        return 0;
    }

    private static long entryOf(int hash, int slot) {
        return ((long) hash << 32) | ((slot + 1) & 0xFFFFFFFFL);
    }

    /** One part's table of keys: each entry its key's hash in the high half, its slot plus one in the low. */
    private static final class Part {
        private long[] table = new long[16];
        private int size;

        void grow(int[] hashes) {
            long[] old = table;
            table = new long[old.length * 2];
            int mask = table.length - 1;
            for (long entry : old) {
                if (entry != EMPTY) {
                    int index = hashes[(int) entry - 1] & mask;
                    while (table[index] != EMPTY) {
                        index = (index + 1) & mask;
                    }
                    table[index] = entry;
                }
            }
        }

        int slotsInto(int[] slots, int taken) {
            for (long entry : table) {
                if (entry != EMPTY) {
                    slots[taken++] = (int) entry - 1;
                }
            }
            return taken;
        }

        void clear() {
            Arrays.fill(table, EMPTY);
            size = 0;
        }
    }
}
