package com.salespipeline.query.kafka;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.Buffer;
import org.axonframework.extensions.kafka.eventhandling.consumer.streamable.KafkaEventMessage;

/**
 * The buffer between Axon's Kafka fetcher and the processors reading the topic, handing records out in the order
 * they were fetched. Axon's default buffer sorts them by timestamp, but the fetcher gives each record a token of
 * every partition's position as fetched so far: a record taken early from the sorted buffer then carried a token
 * claiming records of other partitions still waiting in it. A processor that stored that token, or a replay that
 * took it for how far it had read, skipped those records: a replay switched to a read model missing whole contacts
 * (a black-box run of session 49; ArrivalOrderBufferTest shows the claim). In fetch order each record's token claims
 * exactly the records before it.
 * Across partitions the order is the fetch's; a contact's events are in one partition, in order.
 */
final class ArrivalOrderBuffer implements Buffer<KafkaEventMessage> {

    private final ArrayDeque<KafkaEventMessage> records = new ArrayDeque<>();
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private volatile RuntimeException failure;

    ArrivalOrderBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a buffer of " + capacity + " records");
        }
        this.capacity = capacity;
    }

    @Override
    public void put(KafkaEventMessage record) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (records.size() >= capacity) {
                notFull.await();
            }
            records.addLast(record);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putAll(Collection<KafkaEventMessage> fetched) throws InterruptedException {
        for (KafkaEventMessage record : fetched) {
            put(record);
        }
    }

    @Override
    public KafkaEventMessage poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            throwIfFailed();
            while (records.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
                throwIfFailed();
            }
            return taken();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public KafkaEventMessage take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            throwIfFailed();
            while (records.isEmpty()) {
                notEmpty.await();
                throwIfFailed();
            }
            return taken();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public KafkaEventMessage peek() {
        lock.lock();
        try {
            throwIfFailed();
            return records.peekFirst();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public int remainingCapacity() {
        return capacity - size();
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            records.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The fetcher's failure, thrown to the reader at its next poll, take or peek (as Axon's own buffer does). */
    @Override
    public void setException(RuntimeException exception) {
        lock.lock();
        try {
            failure = exception;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private KafkaEventMessage taken() {
        KafkaEventMessage record = records.pollFirst();
        notFull.signal();
        return record;
    }

    private void throwIfFailed() {
        RuntimeException thrown = failure;
        if (thrown != null) {
            throw thrown;
        }
    }
}
