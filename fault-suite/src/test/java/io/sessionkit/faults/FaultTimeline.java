package io.sessionkit.faults;

/**
 * When a fault began and when the store was back, as {@link System#nanoTime()} values.
 * Written by the fault, read by the scenario.
 */
final class FaultTimeline {

    private volatile long faultBegan;
    private volatile long storeBack;
    private volatile boolean began;
    private volatile boolean back;

    /** The store stops serving now. */
    void faultBegins() {
        faultBegan = System.nanoTime();
        began = true;
    }

    /** The store serves again now: it was restarted and is ready, resumed, or has space again. */
    void storeIsBack() {
        storeBack = System.nanoTime();
        back = true;
    }

    long faultBegan() {
        if (!began) {
            throw new IllegalStateException("the fault never began");
        }
        return faultBegan;
    }

    long storeBack() {
        if (!back) {
            throw new IllegalStateException("the store was never marked back");
        }
        return storeBack;
    }
}
