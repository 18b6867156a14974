package io.sessionkit.micrometer;

/**
 * How a backend call ended, as the {@code outcome} tag says it: four values whatever the backend, so
 * the tag never multiplies the number of time series.
 */
enum Outcome {
    /** Returned normally with a result, or returned from a method without one. */
    SUCCESS("success"),
    /** Returned {@code null}: nothing stored under the key (a miss). */
    ABSENT("absent"),
    /** Returned {@code false}: a conditional write that found another version, a lock already taken. */
    REFUSED("refused"),
    /** Threw. */
    ERROR("error");

    private final String tag;

    Outcome(String tag) {
        this.tag = tag;
    }

    String tag() {
        return tag;
    }

    /**
     * @param result what the call returned; {@code null} for a method without a result
     * @param hasResult whether the method returns something
     * @return the outcome that result means
     */
    static Outcome of(Object result, boolean hasResult) {
        if (result == null) {
            return hasResult ? ABSENT : SUCCESS;
        }
        return Boolean.FALSE.equals(result) ? REFUSED : SUCCESS;
    }
}
