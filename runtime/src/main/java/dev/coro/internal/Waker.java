package dev.coro.internal;

/**
 * How an event loop blocks when it has nothing to run, and how other threads wake it up. The
 * default parks the loop thread; an I/O selector can take over by implementing this interface
 * (block in {@code select(timeout)}, wake with {@code selector.wakeup()}).
 *
 * <p>Contract: a {@link #wakeup()} that happens before or during {@link #block(long)} makes that
 * call (or the next one) return promptly; spurious returns are allowed.
 */
public interface Waker {
    /**
     * Blocks the loop thread.
     *
     * @param timeoutNanos how long at most; negative means until woken
     */
    void block(long timeoutNanos);

    /** Wakes the loop thread; callable from any thread. */
    void wakeup();
}
