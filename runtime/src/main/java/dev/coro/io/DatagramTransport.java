package dev.coro.io;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram endpoint's transport (asyncio's {@code DatagramTransport}). Loop-thread only.
 */
public interface DatagramTransport {
    /**
     * Sends one datagram (buffered if the socket is full). An empty datagram is sent too.
     *
     * @param data the datagram, between position and limit
     * @param address the receiver, or null on a connected endpoint
     * @throws IllegalArgumentException if the address is null on an unconnected endpoint, or
     *     differs from the connected one
     */
    void sendTo(ByteBuffer data, SocketAddress address);

    /**
     * Sends one datagram; see {@link #sendTo(ByteBuffer, SocketAddress)}.
     *
     * @param data the datagram
     * @param address the receiver, or null on a connected endpoint
     */
    default void sendTo(byte[] data, SocketAddress address) {
        sendTo(ByteBuffer.wrap(data), address);
    }

    /** Closes after the buffered datagrams are sent. */
    void close();

    /** Closes at once. */
    void abort();

    /**
     * @return true once closing
     */
    boolean isClosing();

    /**
     * @param name {@code "sockname"}, {@code "peername"}, {@code "socket"}
     * @return the value or null
     */
    Object getExtraInfo(String name);

    /**
     * @return bytes waiting to be sent
     */
    int getWriteBufferSize();
}
