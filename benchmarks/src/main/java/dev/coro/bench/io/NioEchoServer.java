package dev.coro.bench.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The echo benchmark's floor: the least a one-thread Java server can do per round trip. One
 * {@link Selector}, no framework and no object per event: each readable channel is read into one
 * shared direct buffer and the bytes are written straight back (the echo client keeps one line in
 * flight per connection, so echoing bytes is echoing lines). What the socket does not take waits in
 * the connection's pending buffer for {@code OP_WRITE}, and reading stops meanwhile. It measures
 * what the machine's system calls leave for any server: a read, a write and a share of
 * {@code epoll_wait} per round trip.
 */
final class NioEchoServer {
    private NioEchoServer() {
    }

    static void serve(int port) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("hand-written NIO echo server on 127.0.0.1:" + port);
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        while (true) {
            selector.select(key -> {
                try {
                    handle(key, selector, in);
                } catch (IOException e) {
                    key.cancel();
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // closed either way
                    }
                }
            });
        }
    }

    private static void handle(SelectionKey key, Selector selector, ByteBuffer in) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel accepted;
            while ((accepted = ((ServerSocketChannel) key.channel()).accept()) != null) {
                accepted.configureBlocking(false);
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                accepted.register(selector, SelectionKey.OP_READ);
            }
            return;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        if (key.isWritable()) {
            ByteBuffer pending = (ByteBuffer) key.attachment();
            channel.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
        if (key.isReadable()) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                key.cancel();
                channel.close();
                return;
            }
            in.flip();
            channel.write(in);
            if (in.hasRemaining()) {
                ByteBuffer pending = ByteBuffer.allocate(in.remaining());
                pending.put(in).flip();
                key.attach(pending);
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }
    }
}
