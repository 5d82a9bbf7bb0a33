package com.salespipeline.query.lifecycle;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The items of an iterator, made on a thread of their own at most {@value #AHEAD} items ahead of the caller who takes
 * them. A PostgreSQL rebuild merges the next chunk of rows from its sorted files on that thread while the caller
 * copies the chunk before: the caller keeps the database work, and with it its transaction and the read-model
 * generation it writes to, both bound to its thread.
 *
 * A bulk replay reads the event store on that thread ({@link #inLists}), a list of stored events at a time: the
 * server (or H2's B-tree, in this JVM) finds the next rows while the caller deserialises and folds the last ones.
 *
 * <p>The source is used only by that thread once this is made; a failure there is thrown to the caller at the item
 * where it happened, with the caller's own stack. {@link #close()} stops the thread and waits for it, so that the
 * source can be closed after it.
 */
public final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

    private static final int AHEAD = 2;
    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread maker;
    private final boolean interruptsSource;
    private volatile boolean closed;
    private Object next;

    /** Closing interrupts the source if it is reading: it reads spilled files, deleted right after. */
    ReadAhead(Iterator<T> source, String threadName) {
        this(source, threadName, true);
    }

    private ReadAhead(Iterator<T> source, String threadName, boolean interruptsSource) {
        this.interruptsSource = interruptsSource;
        maker = new Thread(() -> make(source), threadName);
        maker.setDaemon(true);
        maker.start();
    }

    /**
     * The items of {@code source} in lists of {@code size}, so that the two threads meet once per list rather than
     * per item. Closing lets the source finish the item it is reading instead of interrupting it: an interrupted
     * read of H2's file closes that file under the whole database.
     */
    public static <T> ReadAhead<List<T>> inLists(Iterator<T> source, int size, String threadName) {
        if (size < 1) {
            throw new IllegalArgumentException("lists of " + size + " items");
        }
        Iterator<List<T>> lists = new Iterator<>() {
            private RuntimeException failed;

            @Override
            public boolean hasNext() {
                if (failed != null) {
                    throw failed;
                }
                return source.hasNext();
            }

            /** The items read before a failure come out first, in a shorter list; the failure then at hasNext. */
            @Override
            public List<T> next() {
                List<T> list = new ArrayList<>(size);
                try {
                    while (list.size() < size && source.hasNext()) {
                        list.add(source.next());
                    }
                } catch (RuntimeException e) {
                    if (list.isEmpty()) {
                        throw e;
                    }
                    failed = e;
                }
                if (list.isEmpty()) {
                    throw new NoSuchElementException();
                }
                return list;
            }
        };
        return new ReadAhead<>(lists, threadName, false);
    }

    private void make(Iterator<T> source) {
        try {
            while (source.hasNext() && !closed) {
                hand(source.next());
            }
            hand(END);
        } catch (InterruptedException stopped) {
            // closed by the caller: nobody takes what is left
        } catch (RuntimeException | Error e) {
            try {
                hand(new Failure(e));
            } catch (InterruptedException stopped) {
                // closed by the caller meanwhile
            }
        }
    }

    /** Puts an item (or the end, or a failure) where the caller takes it, unless the caller has closed this. */
    private void hand(Object item) throws InterruptedException {
        while (!ready.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("closed");
            }
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            try {
                next = ready.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + maker.getName(), e);
            }
            if (next == null && !maker.isAlive() && ready.isEmpty()) {
                next = END;
                throw new IllegalStateException(maker.getName() + " ended without handing on what it read");
            }
        }
        if (next instanceof Failure failure) {
            next = END;
            throw new IllegalStateException(maker.getName() + " could not read on", failure.cause());
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) next;
        next = null;
        return item;
    }

    /**
     * Stops the thread (it may be blocked reading the source) and waits until it has ended, also when the caller is
     * interrupted: the source is closed right after this.
     */
    @Override
    public void close() {
        closed = true;
        if (interruptsSource) {
            maker.interrupt();
        }
        ready.clear();
        boolean interrupted = false;
        while (maker.isAlive()) {
            try {
                maker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Failure(Throwable cause) {
    }
}
