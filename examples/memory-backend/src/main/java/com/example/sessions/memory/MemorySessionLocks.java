package com.example.sessions.memory;

import io.sessionkit.spi.SessionLocks;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Session locks in a map shared by every backend of the JVM, each held under a token until its
 * lease ends by the configuration's clock.
 */
final class MemorySessionLocks implements SessionLocks {

    private record Lock(String token, Instant until) {
    }

    private static final ConcurrentMap<String, Lock> LOCKS = new ConcurrentHashMap<>();

    private final MemorySessionBackend backend;

    MemorySessionLocks(MemorySessionBackend backend) {
        this.backend = backend;
    }

    @Override
    public boolean tryLock(String key, String token, Duration lease) {
        backend.requireOpen("lock");
        Instant now = backend.now();
        Lock mine = new Lock(token, now.plus(lease));
        return LOCKS.compute(key, (k, held) -> held == null || !held.until().isAfter(now) ? mine : held) == mine;
    }

    @Override
    public void unlock(String key, String token) {
        backend.requireOpen("unlock");
        LOCKS.computeIfPresent(key, (k, held) -> held.token().equals(token) ? null : held);
    }
}
