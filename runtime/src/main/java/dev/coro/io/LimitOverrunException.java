package dev.coro.io;

/**
 * A line or separated chunk is longer than the reader's limit (asyncio's {@code LimitOverrunError}).
 * {@link StreamReader#readUntil} leaves the buffer as it was: {@link #consumed()} bytes can be
 * dropped to skip them. {@link StreamReader#readLine} has already dropped them (as asyncio's
 * {@code readline} does before it raises {@code ValueError}).
 */
public class LimitOverrunException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int consumed;

    /**
     * @param message what happened
     * @param consumed how many bytes to consume to get past the overrun
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * @return how many bytes to consume to get past the overrun
     */
    public int consumed() {
        return consumed;
    }
}
