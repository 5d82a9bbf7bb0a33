package com.salespipeline.query.lifecycle;

import java.util.Iterator;
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
 * <p>The source is used only by that thread once this is made; a failure there is thrown to the caller at the item
 * where it happened, with the caller's own stack. {@link #close()} stops the thread and waits for it, so that the
 * source can be closed after it.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

    private static final int AHEAD = 2;
    private static final Object END = new Object();

    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(AHEAD);
    private final Thread maker;
    private volatile boolean closed;
    private Object next;

    ReadAhead(Iterator<T> source, String threadName) {
        maker = new Thread(() -> make(source), threadName);
        maker.setDaemon(true);
        maker.start();
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
     * interrupted: the source's files are closed and deleted right after this.
     */
    @Override
    public void close() {
        closed = true;
        maker.interrupt();
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
