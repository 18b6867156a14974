package io.sessionkit.core;

import io.sessionkit.spi.SessionBackend;
import io.sessionkit.spi.TouchingLoad;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory store for engine tests that records every call, so tests can count store round
 * trips and see exactly what was written.
 */
class CountingMemoryBackend implements SessionBackend {

    final Map<String, byte[]> entries = new ConcurrentHashMap<>();
    final Map<String, Duration> timeToLive = new ConcurrentHashMap<>();
    final List<String> calls = new ArrayList<>();
    RuntimeException failure;

    @Override
    public byte[] load(String key) {
        record("load " + key);
        return entries.get(key);
    }

    @Override
    public void save(String key, byte[] value, Duration ttl) {
        record("save " + key);
        entries.put(key, value.clone());
        timeToLive.put(key, ttl);
    }

    @Override
    public void touch(String key, Duration ttl) {
        record("touch " + key);
        if (entries.containsKey(key)) {
            timeToLive.put(key, ttl);
        }
    }

    @Override
    public void delete(String key) {
        record("delete " + key);
        entries.remove(key);
    }

    @Override
    public void close() {
        record("close");
    }

    void record(String call) {
        if (failure != null) {
            throw failure;
        }
        calls.add(call);
    }

    List<String> callsStartingWith(String verb) {
        return calls.stream().filter(c -> c.startsWith(verb + " ")).toList();
    }

    /** The same store with the optional one-round-trip read-and-refresh. */
    static final class Touching extends CountingMemoryBackend implements TouchingLoad {
        @Override
        public byte[] loadAndTouch(String key, Duration ttl) {
            record("loadAndTouch " + key);
            byte[] value = entries.get(key);
            if (value != null) {
                timeToLive.put(key, ttl);
            }
            return value;
        }
    }
}
