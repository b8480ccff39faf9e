package dev.coro.io;

/**
 * Options of streams and servers ({@code openConnection}, {@code startServer},
 * {@code EventLoop.createServer}). Immutable; start from {@link #defaults()}:
 * <pre>{@code
 * StreamOptions.defaults().limit(1 << 20).backlog(1024)
 * }</pre>
 */
public final class StreamOptions {
    private static final StreamOptions DEFAULTS = new StreamOptions(64 * 1024, 100, true, true);
    private final int limit;
    private final int backlog;
    private final boolean reuseAddress;
    private final boolean startServing;

    private StreamOptions(int limit, int backlog, boolean reuseAddress, boolean startServing) {
        this.limit = limit;
        this.backlog = backlog;
        this.reuseAddress = reuseAddress;
        this.startServing = startServing;
    }

    /**
     * @return asyncio's defaults: limit 64 KiB, backlog 100, SO_REUSEADDR on, serving at once
     */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param bytes the reader's buffer limit (a line longer than this fails)
     * @return new options
     * @throws IllegalArgumentException if not positive
     */
    public StreamOptions limit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + bytes);
        }
        return new StreamOptions(bytes, backlog, reuseAddress, startServing);
    }

    /**
     * @param connections the listen backlog (also the most connections accepted per wake-up)
     * @return new options
     */
    public StreamOptions backlog(int connections) {
        return new StreamOptions(limit, Math.max(1, connections), reuseAddress, startServing);
    }

    /**
     * @param on SO_REUSEADDR on the listening socket
     * @return new options
     */
    public StreamOptions reuseAddress(boolean on) {
        return new StreamOptions(limit, backlog, on, startServing);
    }

    /**
     * @param on listen at once (false: bind only, until {@link Server#startServing()} or
     *     {@link Server#serveForever()})
     * @return new options
     */
    public StreamOptions startServing(boolean on) {
        return new StreamOptions(limit, backlog, reuseAddress, on);
    }

    /**
     * @return the reader's limit
     */
    public int limit() {
        return limit;
    }

    /**
     * @return the backlog
     */
    public int backlog() {
        return backlog;
    }

    /**
     * @return SO_REUSEADDR
     */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * @return listen at once
     */
    public boolean startServing() {
        return startServing;
    }

    @Override
    public String toString() {
        return "StreamOptions[limit=" + limit + ", backlog=" + backlog + ", reuseAddress=" + reuseAddress
                + ", startServing=" + startServing + "]";
    }
}
