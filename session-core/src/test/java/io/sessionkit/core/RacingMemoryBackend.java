package io.sessionkit.core;

import java.time.Duration;

/**
 * The versioned in-memory backend, where a test can make another request's write land just before
 * this request's conditional replaces and deletes, so that the engine loses races on purpose and
 * deterministically.
 */
final class RacingMemoryBackend extends CountingMemoryBackend.Versioned {

    /** A loop that keeps losing is a bug in the engine, not a slow test: stop it. */
    private static final int MOST_RACES = 1000;

    private Runnable race;
    private int racesLeft;
    private int racesRun;
    private boolean racing;

    /**
     * Runs {@code race} before each of the next {@code times} conditional writes (replace or
     * delete) that this backend is asked for, outside the race itself.
     */
    void raceBeforeConditionalWrites(int times, Runnable race) {
        this.race = race;
        this.racesLeft = times;
    }

    /** Before every conditional write, another request saves the session again, unchanged. */
    void loseEveryRace() {
        raceBeforeConditionalWrites(Integer.MAX_VALUE, null);
    }

    private void runRace(String key) {
        if (racing || racesLeft == 0) {
            return;
        }
        if (++racesRun > MOST_RACES) {
            throw new AssertionError("the engine retried more than " + MOST_RACES + " times");
        }
        racesLeft--;
        racing = true;
        try {
            if (race != null) {
                race.run();
            } else {
                save(key, entries.get(key), Duration.ofMinutes(1)); // a new version of the same data
            }
        } finally {
            racing = false;
        }
    }

    @Override
    public synchronized boolean replace(String key, long expectedVersion, byte[] value, Duration ttl) {
        runRace(key);
        return super.replace(key, expectedVersion, value, ttl);
    }

    @Override
    public synchronized boolean delete(String key, long expectedVersion) {
        runRace(key);
        return super.delete(key, expectedVersion);
    }
}
