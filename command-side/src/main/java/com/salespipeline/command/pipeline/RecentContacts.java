package com.salespipeline.command.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * The contacts that recent commands left behind, for the repository to start the next command from: at most
 * {@code capacity} of them, the one used longest ago dropped first. Held strongly: weakly held contacts were
 * mostly collected between two commands of one client under load (a young collection every few hundred
 * milliseconds), and their events read from the store again.
 */
public final class RecentContacts implements Cache {

    private final Map<Object, Object> entries;

    public RecentContacts(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one contact must fit, not " + capacity);
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public synchronized void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return (T) entries.computeIfAbsent(key, k -> valueSupplier.get());
    }

    @Override
    public synchronized boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public synchronized void removeAll() {
        entries.clear();
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.computeIfPresent(key, (k, value) -> update.apply((V) value));
    }

    /** Nothing listens to an aggregate cache: Axon registers listeners for sagas only. */
    @Override
    public Registration registerCacheEntryListener(EntryListener entryListener) {
        throw new UnsupportedOperationException("the contact cache takes no listeners");
    }

    /** How many contacts are held. */
    public synchronized int size() {
        return entries.size();
    }
}
