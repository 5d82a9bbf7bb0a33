package com.salespipeline.query.lifecycle;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The items of an iterator that {@code keep} accepts, in chunks, made on a thread of their own at most
 * {@value #AHEAD} chunks ahead of the caller who takes them. A rebuild merges its sorted files on that thread while
 * the caller writes the chunk before to the database: the caller keeps the database work, and with it its
 * transaction and the read-model generation it writes to, both bound to its thread.
 *
 * <p>The source is read only by that thread once this is made; a failure there is thrown to the caller at the
 * chunk where it happened. {@link #close()} stops the thread and waits for it, so that the source can be closed
 * after it.
 */
final class ChunksAhead<T> implements Iterator<List<T>>, AutoCloseable {

    private static final int AHEAD = 2;
    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread maker;
    private volatile boolean closed;
    private Object next;

    ChunksAhead(Iterator<T> source, Predicate<T> keep, int chunkSize, String threadName) {
        maker = new Thread(() -> make(source, keep, chunkSize), threadName);
        maker.setDaemon(true);
        maker.start();
    }

    private void make(Iterator<T> source, Predicate<T> keep, int chunkSize) {
        try {
            List<T> chunk = new ArrayList<>(chunkSize);
            while (source.hasNext() && !closed) {
                T item = source.next();
                if (keep.test(item)) {
                    chunk.add(item);
                }
                if (chunk.size() == chunkSize) {
                    hand(chunk);
                    chunk = new ArrayList<>(chunkSize);
                }
            }
            if (!chunk.isEmpty()) {
                hand(chunk);
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

    /** Puts a chunk (or the end, or a failure) where the caller takes it, unless the caller has closed this. */
    private void hand(Object item) throws InterruptedException {
        while (!ready.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("closed");
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for rows of a rebuild", e);
            }
        }
        if (next instanceof Failure failure) {
            next = END;
            failure.rethrow();
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<T> chunk = (List<T>) next;
        next = null;
        return chunk;
    }

    /** Stops the thread (it may be blocked on reading the source) and waits until it has ended. */
    @Override
    public void close() {
        closed = true;
        maker.interrupt();
        ready.clear();
        try {
            maker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Failure(Throwable cause) {
        void rethrow() {
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        }
    }
}
