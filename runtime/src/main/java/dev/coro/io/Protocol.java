package dev.coro.io;

import java.nio.ByteBuffer;

/**
 * A stream protocol (asyncio's {@code Protocol}): the callbacks of one connection, run on the
 * loop thread. This is the fast path of Coro's I/O: no coroutine per read.
 *
 * <p>Call order: {@link #connectionMade} once; then {@link #dataReceived} any number of times;
 * then {@link #eofReceived} at most once; then {@link #connectionLost} exactly once.
 * {@link #pauseWriting} and {@link #resumeWriting} alternate, starting with pause, when the
 * transport's write buffer crosses its high and low water marks; they are called synchronously
 * inside {@link Transport#write}.
 *
 * <p>An exception thrown by {@code dataReceived} or {@code eofReceived} goes to the loop's
 * exception handler, and the connection is closed with {@code connectionLost(exception)}.
 */
public interface Protocol {
    /**
     * The connection is up.
     *
     * @param transport the connection's transport
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived. The buffer is only valid during this call (the transport reuses it): copy
     * what you keep.
     *
     * @param data the bytes, between position and limit
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer will send no more (it shut down its output or closed).
     *
     * @return true to keep the connection open for writing (half-close); false to close it
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed.
     *
     * @param exception why, or null for a regular end (EOF, close)
     */
    default void connectionLost(Throwable exception) {
    }

    /** The transport's write buffer went over its high water mark: stop writing. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to its low water mark: writing may go on. */
    default void resumeWriting() {
    }
}
