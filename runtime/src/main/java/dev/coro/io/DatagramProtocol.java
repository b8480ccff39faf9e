package dev.coro.io;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram protocol (asyncio's {@code DatagramProtocol}); callbacks run on the loop thread.
 */
public interface DatagramProtocol {
    /**
     * The endpoint is ready.
     *
     * @param transport its transport
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived. The buffer is only valid during this call.
     *
     * @param data the datagram
     * @param address the sender
     */
    default void datagramReceived(ByteBuffer data, SocketAddress address) {
    }

    /**
     * A send or receive failed (e.g. {@link java.net.PortUnreachableException} for a datagram
     * sent to a closed port of a connected endpoint). The endpoint stays open.
     *
     * @param exception the error
     */
    default void errorReceived(Throwable exception) {
    }

    /**
     * The endpoint is closed.
     *
     * @param exception why, or null
     */
    default void connectionLost(Throwable exception) {
    }
}
