package io.fibflow.api.internals.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/** A small thread-safe least-recently-used map; enough for caches that hold a few hundred schemas. */
public final class BoundedCache<K, V> {

    private final Map<K, V> map;

    public BoundedCache(int capacity) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized V get(K key) {
        return map.get(key);
    }

    public synchronized void put(K key, V value) {
        map.put(key, value);
    }

    public synchronized int size() {
        return map.size();
    }
}
