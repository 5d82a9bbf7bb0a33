package com.salespipeline.query.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rows of one table as a {@link KeyOrderedRows} spills them to a file and reads them back. A replay spills millions
 * of rows of some thirty columns, most of their counts zero and their texts a few hundred distinct keys; written
 * value by value through data streams (whose every call takes a lock), that was the biggest part of the thread adding
 * up the aggregates (docs/benchmarks.md, session 15). So a row is: its keys in the buffer's key order, each text as
 * its number in the buffer's dictionary of that column (which stays in memory), each whole number as a
 * variable-length number, then a bit set of the values that are not zero and only those, all through buffers of this
 * class's own. Rows are written as the buffer holds them ({@link PackedRows.Held}), never boxed.
 *
 * A decimal that is not zero is a tag and its value: 1 and a variable-length number for a whole number that fits a
 * long, 2 and its text for any other.
 *
 * <p>Not thread-safe: the buffer's dictionaries grow while rows are added and are read while rows are read back, so
 * no row may be added while a run is read (a {@link KeyOrderedRows} spills on the thread that adds rows and starts
 * merging, on another thread, only after the last spill and the last row added).
 */
final class SpilledRows {

    private static final int BUFFER = 1 << 16;

    private final PackedRows packed;
    private final PackedRows.Layout layout;

    /** Rows of {@code packed}, written from it and read back with its texts. */
    SpilledRows(PackedRows packed) {
        this.packed = packed;
        this.layout = packed.layout();
        int values = layout.countPositions().length + layout.decimalPositions().length;
        if (values > 63) {
            throw new IllegalArgumentException("more than 63 values in a row: " + values);
        }
    }

    Writer writer(Path file) throws IOException {
        return new Writer(Files.newOutputStream(file));
    }

    Reader reader(Path file) throws IOException {
        return new Reader(Files.newInputStream(file));
    }

    /** Writes rows to a file; {@link #close} writes what is buffered. */
    final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final byte[] buffer = new byte[BUFFER];
        private int size;
        private final int keys = layout.keyPositions().length;
        private final int counts = layout.countPositions().length;
        private final int decimals = layout.decimalPositions().length;
        /** Per decimal of the row being written, its sum when that is not a whole long. */
        private final BigDecimal[] notWholeSums = new BigDecimal[decimals];

        private Writer(OutputStream out) {
            this.out = out;
        }

        void write(PackedRows.Held row) throws IOException {
            for (int i = 0; i < keys; i++) {
                varLong(row.key(i));
            }
            long nonZero = 0;
            for (int i = 0; i < counts; i++) {
                if (row.count(i) != 0L) {
                    nonZero |= 1L << i;
                }
            }
            for (int i = 0; i < decimals; i++) {
                // a sum that is not a whole long is rare: made once, kept for the second loop
                BigDecimal sum = row.decimalIsWhole(i) ? null : row.decimal(i);
                notWholeSums[i] = sum;
                if (sum == null ? row.wholeDecimal(i) != 0L : sum.signum() != 0) {
                    nonZero |= 1L << (counts + i);
                }
            }
            varLong(nonZero);
            for (int i = 0; i < counts; i++) {
                if ((nonZero & (1L << i)) != 0) {
                    varLong(row.count(i));
                }
            }
            for (int i = 0; i < decimals; i++) {
                if ((nonZero & (1L << (counts + i))) != 0) {
                    if (notWholeSums[i] == null) {
                        whole(row.wholeDecimal(i));
                    } else {
                        decimal(notWholeSums[i]);
                    }
                }
            }
        }

        private void decimal(BigDecimal value) throws IOException {
            if (value.scale() == 0 && value.precision() < 19) {
                // fits a long; precision() reads the compact value, where unscaledValue() built a BigInteger
                whole(value.longValue());
            } else {
                byte[] text = value.toString().getBytes(StandardCharsets.US_ASCII);
                room(1);
                buffer[size++] = 2;
                varLong(text.length);
                room(text.length);
                System.arraycopy(text, 0, buffer, size, text.length);
                size += text.length;
            }
        }

        private void whole(long value) throws IOException {
            room(1);
            buffer[size++] = 1;
            varLong(value);
        }

        /** Seven bits a byte, the sign folded into the lowest bit: counts are mostly small. */
        private void varLong(long value) throws IOException {
            room(10);
            long folded = (value << 1) ^ (value >> 63);
            while ((folded & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((folded & 0x7F) | 0x80);
                folded >>>= 7;
            }
            buffer[size++] = (byte) folded;
        }

        private void room(int bytes) throws IOException {
            if (size + bytes > buffer.length) {
                out.write(buffer, 0, size);
                size = 0;
                if (bytes > buffer.length) {
                    throw new IOException("a value of " + bytes + " bytes does not fit the spill buffer");
                }
            }
        }

        @Override
        public void close() throws IOException {
            try (out) {
                out.write(buffer, 0, size);
                size = 0;
            }
        }
    }

    /** Reads back the rows a {@link Writer} wrote, in their order. */
    final class Reader implements AutoCloseable {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER];
        private int position;
        private int limit;

        private Reader(InputStream in) {
            this.in = in;
        }

        /** The next row, its columns in the table's order, or null after the last. */
        Object[] read() throws IOException {
            if (position == limit && !fill()) {
                return null;
            }
            Object[] row = new Object[layout.width()];
            int[] keyPositions = layout.keyPositions();
            for (int i = 0; i < keyPositions.length; i++) {
                long key = varLong();
                row[keyPositions[i]] = layout.keyIsText()[i] ? text(i, key) : (Object) (int) key;
            }
            long nonZero = varLong();
            int[] countPositions = layout.countPositions();
            for (int i = 0; i < countPositions.length; i++) {
                row[countPositions[i]] = (nonZero & (1L << i)) != 0 ? varLong() : 0L;
            }
            int[] decimalPositions = layout.decimalPositions();
            for (int i = 0; i < decimalPositions.length; i++) {
                boolean present = (nonZero & (1L << (countPositions.length + i))) != 0;
                row[decimalPositions[i]] = present ? decimal() : BigDecimal.ZERO;
            }
            return row;
        }

        private String text(int key, long number) throws IOException {
            if (number < 0 || number >= packed.texts(key)) {
                throw new IOException("a spilled row names text " + number + " of " + packed.texts(key));
            }
            return packed.text(key, (int) number);
        }

        private BigDecimal decimal() throws IOException {
            if (next() == 1) {
                return BigDecimal.valueOf(varLong());
            }
            int length = (int) varLong();
            byte[] text = new byte[length];
            for (int i = 0; i < length; i++) {
                text[i] = next();
            }
            return new BigDecimal(new String(text, StandardCharsets.US_ASCII));
        }

        private long varLong() throws IOException {
            long folded = 0;
            int shift = 0;
            byte next;
            do {
                next = next();
                folded |= (long) (next & 0x7F) << shift;
                shift += 7;
            } while ((next & 0x80) != 0);
            return (folded >>> 1) ^ -(folded & 1);
        }

        private byte next() throws IOException {
            if (position == limit && !fill()) {
                throw new IOException("a spilled row ends in the middle");
            }
            return buffer[position++];
        }

        private boolean fill() throws IOException {
            int read = in.read(buffer, 0, buffer.length);
            position = 0;
            limit = Math.max(read, 0);
            return read > 0;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
