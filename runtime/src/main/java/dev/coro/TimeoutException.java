package dev.coro;

/**
 * A deadline expired (asyncio's {@code TimeoutError}): thrown by {@link Coro#timeout} and
 * {@link Coro#waitFor}. Its cause is the {@link CancelledError} that interrupted the work.
 */
public class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates a timeout without a message. */
    public TimeoutException() {
        super();
    }

    /**
     * Creates a timeout.
     *
     * @param message the message, or null
     * @param cause the cancellation that interrupted the work, or null
     */
    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
