package dev.coro.transform;

/**
 * How the corpus's awaitables behave in the current run ({@code corpus.Awaits.v}): already done,
 * a coroutine that completes on a later loop iteration ({@code sleep}), or a promise completed by
 * a timer; and which await (counted from 1) throws {@link Boom} instead. Lives outside the corpus package so that the rewritten corpus (in its own class
 * loader) and the tests share it.
 */
public final class TestMode {
    private TestMode() {
    }

    /** Awaited values are already done: the fast path, nothing suspends. */
    public static final int READY = 0;
    /** Awaited values are coroutines that sleep first: the caller suspends. */
    public static final int COROUTINE = 1;
    /** Awaited values are promises a timer completes: the caller suspends on a pending promise. */
    public static final int PROMISE = 2;
    /** All modes, for loops. */
    public static final int[] ALL = {READY, COROUTINE, PROMISE};

    /** One of {@link #READY}, {@link #COROUTINE}, {@link #PROMISE}. */
    public static volatile int kind;
    /** Whether awaited values complete later (suspending the caller) or are already done. */
    public static volatile boolean later;
    /** The 1-based number of the awaited value that fails, or 0 for none. */
    public static volatile int failAt;
    /** How many awaited values were made so far in this run. */
    public static volatile int made;

    /** Resets for a new run. @param isLater whether values complete later @param fail which one fails (0: none) */
    public static void reset(boolean isLater, int fail) {
        reset(isLater ? COROUTINE : READY, fail);
    }

    /** Resets for a new run. @param mode how values complete @param fail which one fails (0: none) */
    public static void reset(int mode, int fail) {
        kind = mode;
        later = mode != READY;
        failAt = fail;
        made = 0;
    }

    /** @param mode a mode @return its name for messages */
    public static String name(int mode) {
        return mode == READY ? "ready" : mode == COROUTINE ? "sleeping coroutine" : "timer-completed promise";
    }
}
