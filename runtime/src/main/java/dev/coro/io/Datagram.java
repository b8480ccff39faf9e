package dev.coro.io;

import java.net.SocketAddress;

/**
 * A received datagram and its sender ({@code sock_recvfrom}'s {@code (data, address)}).
 *
 * @param data the bytes
 * @param address the sender
 */
public record Datagram(byte[] data, SocketAddress address) {
}
