package dev.coro.transform.fuzz;

/**
 * How the generated programs' awaited values behave in the current run, shared by the test and
 * the generated support class {@code fuzz.A} (which lives in its own class loader). One run at a
 * time: the fuzz test is single-threaded.
 */
public final class FuzzMode {
    private FuzzMode() {
    }

    /** Whether each awaited value is a coroutine that suspends once through the loop first. */
    public static volatile boolean suspend;
    /** The 1-based number of the awaited (or, in the plain version, passed) value that throws; 0: none. */
    public static volatile int failAt;
    /** How many values were made so far in this run. */
    public static volatile int made;

    /**
     * Resets for a new run.
     *
     * @param suspendEach whether every await suspends once
     * @param fail which value throws, 0 for none
     */
    public static void reset(boolean suspendEach, int fail) {
        suspend = suspendEach;
        failAt = fail;
        made = 0;
    }
}
