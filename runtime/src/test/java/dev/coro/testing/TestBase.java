package dev.coro.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * Base class of ordering tests, written as a timeline: every step calls {@code expect(n)} with
 * its number where it happens and the last one calls {@code finish(n)}. The test fails on a step
 * out of order, on a missing {@code finish}, and on a failed step even when the failure was
 * thrown inside a callback that swallowed it (the error is recorded and re-thrown after the test).
 */
public abstract class TestBase {
    private final AtomicInteger actionIndex = new AtomicInteger();
    private volatile boolean finished;
    private final List<Throwable> errors = new ArrayList<>();

    /**
     * Records step {@code index}; fails when it is not the next step.
     *
     * @param index the step's number, starting at 1
     */
    protected void expect(int index) {
        int actual = actionIndex.incrementAndGet();
        if (actual != index) {
            throw recordError(new AssertionError(
                    "Expecting step " + index + " but it is actually step " + actual));
        }
    }

    /**
     * Records the last step.
     *
     * @param index the step's number
     */
    protected void finish(int index) {
        expect(index);
        if (finished) {
            throw recordError(new AssertionError("finish(" + index + ") called twice"));
        }
        finished = true;
    }

    /** Fails: this line must not run. */
    protected void expectUnreached() {
        throw recordError(new AssertionError("This line must not be reached"));
    }

    /**
     * Records an error so that it fails the test even if the code that threw it swallowed it.
     *
     * @param error the error
     * @return the same error, to throw
     */
    protected final AssertionError recordError(AssertionError error) {
        synchronized (errors) {
            errors.add(error);
        }
        return error;
    }

    @AfterEach
    void checkTimeline() {
        synchronized (errors) {
            if (!errors.isEmpty()) {
                AssertionError first = new AssertionError("Recorded errors: " + errors.size(), errors.get(0));
                for (int i = 1; i < errors.size(); i++) {
                    first.addSuppressed(errors.get(i));
                }
                throw first;
            }
        }
        if (actionIndex.get() != 0 && !finished) {
            throw new AssertionError("Expecting finish(...) to be called, but it was not (last step: "
                    + actionIndex.get() + ")");
        }
    }
}
