package io.sessionkit.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Calls that race: each on a thread of its own, all released at the same moment, for tests of
 * what a store does when requests collide (exactly one create, one lock, one replace wins).
 */
public final class Race {

    /** How long each contender may take before the race counts as hung. */
    private static final long CONTENDER_SECONDS = 30;

    private Race() {
    }

    /**
     * Runs {@code contenders} calls at once and counts those that answered {@code true}.
     *
     * @param contenders how many calls race
     * @param contender  the call of contender {@code i}, from 0
     * @return how many answered {@code true}
     * @throws Exception what a call threw, or a timeout when one did not answer in 30 s
     */
    public static int winners(int contenders, IntFunction<Callable<Boolean>> contender) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                Callable<Boolean> call = contender.apply(i);
                answers.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> answer : answers) {
                winners += answer.get(CONTENDER_SECONDS, TimeUnit.SECONDS) ? 1 : 0;
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }
}
