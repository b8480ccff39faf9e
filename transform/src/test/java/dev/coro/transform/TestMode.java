package dev.coro.transform;

/**
 * How the corpus's awaitables behave in the current run ({@code corpus.Awaits.v}): already done,
 * or completing on a later loop iteration; and which await (counted from 1) throws {@link Boom}
 * instead. Lives outside the corpus package so that the rewritten corpus (in its own class
 * loader) and the tests share it.
 */
public final class TestMode {
    private TestMode() {
    }

    /** Whether awaited values complete later (suspending the caller) or are already done. */
    public static volatile boolean later;
    /** The 1-based number of the awaited value that fails, or 0 for none. */
    public static volatile int failAt;
    /** How many awaited values were made so far in this run. */
    public static volatile int made;

    /** Resets for a new run. @param isLater whether values complete later @param fail which one fails (0: none) */
    public static void reset(boolean isLater, int fail) {
        later = isLater;
        failAt = fail;
        made = 0;
    }
}
