package dev.coro;

/**
 * The handle of a {@link Coro#timeout} block (asyncio's {@code Timeout}): when the deadline is
 * reached, the task running the block is cancelled and the block ends with a
 * {@link TimeoutException} whose cause is that cancellation.
 *
 * <p>If the block ends with some other exception after the deadline fired (a {@code catch} or
 * {@code finally} that threw while the cancellation unwound it), that exception is thrown, and a
 * {@link TimeoutException} is added to its {@linkplain Throwable#getSuppressed() suppressed}
 * exceptions (its cause: the {@link CancelledError} in the exception's cause chain, if any), so a
 * stack trace still shows that the deadline passed. This is asyncio 3.13's
 * {@code _insert_timeout_error}, which links a {@code TimeoutError} into the exception's context
 * chain; Java exceptions have no implicit context, so the link is a suppressed exception. A
 * {@link TaskGroupException} gets it, and so does each exception it holds.
 *
 * <pre>
 * | state    | meaning                                              | expired() |
 * |----------|------------------------------------------------------|-----------|
 * | CREATED  | not entered yet                                      | false     |
 * | ENTERED  | the block runs; the deadline timer is armed          | false     |
 * | EXPIRING | the deadline fired: the task was cancelled           | true      |
 * | EXPIRED  | the block ended after the deadline fired             | true      |
 * | EXITED   | the block ended in time                              | false     |
 * </pre>
 */
public final class Timeout {
    enum State { CREATED, ENTERED, EXPIRING, EXPIRED, EXITED }

    private State state = State.CREATED;
    /** The deadline on the loop's nanosecond clock, or null for none (exact for Duration delays). */
    private Long deadlineNanos;
    private Handle handler;
    private Task<?> task;
    private int cancelling;

    Timeout(Long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * @return the deadline in seconds on the loop's clock ({@link EventLoop#time()}), or null for none
     */
    public Double when() {
        return deadlineNanos == null ? null : deadlineNanos / 1e9;
    }

    /**
     * @return true once the deadline fired
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * Moves the deadline (a deadline in the past fires in the next iteration).
     *
     * @param newWhen the new deadline in seconds on the loop's clock, or null for none
     * @throws IllegalStateException if the block is not running
     */
    public void reschedule(Double newWhen) {
        if (state != State.ENTERED) {
            if (state == State.CREATED) {
                throw new IllegalStateException("Timeout has not been entered");
            }
            throw new IllegalStateException("Cannot change state of " + state.name().toLowerCase() + " Timeout");
        }
        schedule(newWhen == null ? null : EventLoop.secondsToNanos(newWhen));
    }

    private void schedule(Long newDeadline) {
        this.deadlineNanos = newDeadline;
        if (handler != null) {
            handler.cancel();
        }
        if (newDeadline == null) {
            handler = null;
        } else {
            EventLoop loop = task.loop;
            if (newDeadline - loop.nanoTime() <= 0) {
                handler = loop.callSoon(this::onTimeout);
            } else {
                handler = loop.callAtNanos(newDeadline, this::onTimeout);
            }
        }
    }

    void enter(Task<?> current) {
        if (state != State.CREATED) {
            throw new IllegalStateException("Timeout has already been entered");
        }
        if (current == null) {
            throw new IllegalStateException("Coro.timeout() must run inside a task");
        }
        state = State.ENTERED;
        task = current;
        cancelling = current.cancelling();
        schedule(deadlineNanos);
    }

    /** The block ended with {@code value} or {@code error}; returns the block's outcome. */
    Object exit(Object value, Throwable error) {
        if (handler != null) {
            handler.cancel();
            handler = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancelling && error != null) {
                // No new cancel request: this timeout is the one that cancelled the block.
                if (error instanceof CancelledError) {
                    throw new TimeoutException(null, error);
                }
                insertTimeoutError(error);
                if (error instanceof TaskGroupException) {
                    for (Throwable e : ((TaskGroupException) error).exceptions()) {
                        insertTimeoutError(e);
                    }
                }
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        if (error != null) {
            throw dev.coro.internal.Sneaky.rethrow(error);
        }
        return value;
    }

    /** asyncio's {@code _insert_timeout_error}, as a suppressed exception (see the class comment). */
    private static void insertTimeoutError(Throwable error) {
        Throwable cancelled = null;
        for (Throwable c = error.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof CancelledError) {
                cancelled = c;
                break;
            }
        }
        error.addSuppressed(new TimeoutException("the deadline passed before this exception ended the timeout block",
                cancelled));
    }

    private void onTimeout() {
        task.cancel();
        state = State.EXPIRING;
        handler = null;
    }

    @Override
    public String toString() {
        return "<Timeout [" + state.name().toLowerCase() + "]" + (state == State.ENTERED ? " when=" + when() : "") + ">";
    }
}
