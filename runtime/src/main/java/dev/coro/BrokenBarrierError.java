package dev.coro;

/**
 * asyncio.BrokenBarrierError: thrown by {@link Barrier#arrive()} when the barrier is broken
 * ({@link Barrier#abort()}) or reset ({@link Barrier#reset()}) while the task waits, or is
 * already broken when the task arrives. In Python it is a RuntimeError; here a plain
 * {@link RuntimeException}.
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what happened to the barrier
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
