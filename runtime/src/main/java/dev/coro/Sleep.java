package dev.coro;

/**
 * The coroutine {@link Coro#sleep(java.time.Duration)} returns. Awaiting it does not keep it: the
 * task itself goes into the loop's timer heap (see {@link Task}'s timer state), so a sleeping task
 * costs no promise, handle or lambda. Iteration costs match asyncio's {@code sleep}: the timer
 * fires in the iteration where the deadline is reached, the task resumes in the next one; a
 * {@code ZERO} sleep yields exactly one iteration.
 */
final class Sleep<T> extends Coroutine<T> {
    /** {@code sleep(ZERO)}: shared, since a bare yield has no state (awaiting it again is harmless). */
    static final Sleep<Void> YIELD = new Sleep<>(0, null);

    final long delayNanos;
    final T value;
    /** Set when awaited: a coroutine object runs once. */
    boolean used;

    Sleep(long delayNanos, T value) {
        this.delayNanos = delayNanos;
        this.value = value;
    }

    @Override
    public String toString() {
        return "sleep(" + java.time.Duration.ofNanos(delayNanos) + ")";
    }
}
