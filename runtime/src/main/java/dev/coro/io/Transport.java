package dev.coro.io;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A connection's transport (asyncio's {@code Transport}): writes are buffered and never block.
 * Loop-thread only.
 */
public interface Transport {
    /**
     * Sends bytes: at once as far as the socket takes them, the rest from the write buffer as the
     * socket drains. The bytes are copied if they must wait, so the caller may reuse the buffer.
     * Ignored once the connection is lost.
     *
     * @param data the bytes between position and limit (the position is advanced)
     * @throws IllegalStateException after {@link #writeEof()}
     */
    void write(ByteBuffer data);

    /**
     * Sends bytes; see {@link #write(ByteBuffer)}.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #writeEof()}
     */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /**
     * Sends each buffer in order. A socket transport sends them with one gathering write, as
     * asyncio's {@code writelines} does (one system call for many small arrays); this default
     * writes them one by one.
     *
     * @param data the buffers
     * @throws IllegalStateException after {@link #writeEof()}
     */
    default void writeLines(List<byte[]> data) {
        for (byte[] d : data) {
            write(d);
        }
    }

    /** Shuts the output down once the write buffer is flushed (a half-close); idempotent. */
    void writeEof();

    /**
     * @return true if {@link #writeEof()} is supported
     */
    boolean canWriteEof();

    /**
     * Closes the connection after the write buffer is flushed; {@link Protocol#connectionLost}
     * follows with null. No more data is received. Idempotent.
     */
    void close();

    /** Closes at once, dropping the write buffer; {@link Protocol#connectionLost} follows with null. */
    void abort();

    /** Stops calling {@link Protocol#dataReceived} until {@link #resumeReading()}; idempotent. */
    void pauseReading();

    /** Undoes {@link #pauseReading()}; idempotent. */
    void resumeReading();

    /**
     * @return true unless reading is paused or the transport is closing
     */
    boolean isReading();

    /**
     * @return true once {@link #close()} or {@link #abort()} was called or the connection was lost
     */
    boolean isClosing();

    /**
     * Optional information: {@code "peername"} and {@code "sockname"} (a {@link java.net.SocketAddress}),
     * {@code "socket"} (the channel).
     *
     * @param name the key
     * @return the value, or null
     */
    Object getExtraInfo(String name);

    /**
     * Sets the write buffer's water marks (asyncio's defaults: 64 KiB and a quarter of it).
     *
     * @param high pause the protocol above this many buffered bytes
     * @param low resume it at or below this many
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * Sets the water marks the asyncio way ({@code set_write_buffer_limits(high=None, low=None)}):
     * a missing high is 4 x low (or 64 KiB), a missing low is a quarter of high.
     *
     * @param high the high mark, or null
     * @param low the low mark, or null
     * @throws IllegalArgumentException unless {@code high >= low >= 0}
     */
    void setWriteBufferLimits(Integer high, Integer low);

    /**
     * @return the write buffer's water marks (asyncio's {@code get_write_buffer_limits()})
     */
    WriteBufferLimits getWriteBufferLimits();

    /**
     * The write buffer's water marks, in asyncio's order.
     *
     * @param low writing resumes at or below this many buffered bytes
     * @param high writing pauses above this many
     */
    record WriteBufferLimits(int low, int high) {
    }

    /**
     * @return the bytes waiting in the write buffer
     */
    int getWriteBufferSize();

    /**
     * @return the protocol
     */
    Protocol getProtocol();

    /**
     * Replaces the protocol (asyncio's {@code set_protocol}).
     *
     * @param protocol the new protocol
     */
    void setProtocol(Protocol protocol);
}
