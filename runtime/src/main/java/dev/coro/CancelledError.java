package dev.coro;

/**
 * The task was cancelled (asyncio's {@code CancelledError}). It is delivered at the await where
 * the task is suspended, or before the first line of a task that has not started yet.
 *
 * <p>It extends {@link Error}, like {@code ThreadDeath}, so that {@code catch (Exception e)} does
 * not swallow a cancellation. A coroutine may catch it to clean up, and should re-throw it; a
 * task that swallows it is not cancelled (it finishes normally).
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** Creates a cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * Creates a cancellation with the message given to {@code cancel(msg)}.
     *
     * @param message the message, or null
     */
    public CancelledError(String message) {
        super(message);
    }
}
