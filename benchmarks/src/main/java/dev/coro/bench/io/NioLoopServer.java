package dev.coro.bench.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The floor: the least a one-thread Java server can do per request. One {@link Selector}, no
 * framework, no task, no callback object per event: a read into one shared direct buffer, a scan
 * for the end of each request's head ({@code \r\n\r\n}, the state carried across reads per
 * connection), then one write of as many copies of the response as requests were complete. What the
 * socket does not take stays in the connection's pending buffer and waits for {@code OP_WRITE}
 * (reading stops meanwhile). Requests with a body are not supported (wrk sends none).
 */
final class NioLoopServer {
    private static final int READ_BUFFER = 64 * 1024;

    private NioLoopServer() {
    }

    /** Per connection: how much of {@code \r\n\r\n} the last read ended in, and unsent bytes. */
    private static final class Connection {
        int matched;
        ByteBuffer pending;
    }

    static void serve(int port) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("hand-written NIO loop plaintext server on 127.0.0.1:" + port);

        ByteBuffer in = ByteBuffer.allocateDirect(READ_BUFFER);
        ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024);
        byte[] response = PlaintextResponse.encode("nio");
        long second = System.currentTimeMillis() / 1000;
        while (true) {
            selector.select();
            long now = System.currentTimeMillis() / 1000;
            if (now != second) {
                second = now;
                response = PlaintextResponse.encode("nio");
            }
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    SocketChannel channel;
                    while ((channel = server.accept()) != null) {
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        channel.register(selector, SelectionKey.OP_READ, new Connection());
                    }
                    continue;
                }
                SocketChannel channel = (SocketChannel) key.channel();
                Connection connection = (Connection) key.attachment();
                try {
                    if (key.isWritable()) {
                        channel.write(connection.pending);
                        if (connection.pending.hasRemaining()) {
                            continue;
                        }
                        connection.pending = null;
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    if (key.isReadable()) {
                        in.clear();
                        int n = channel.read(in);
                        if (n < 0) {
                            key.cancel();
                            channel.close();
                            continue;
                        }
                        int requests = count(in, n, connection);
                        if (requests == 0) {
                            continue;
                        }
                        ByteBuffer reply = out;
                        if (requests * response.length > out.capacity()) {
                            reply = ByteBuffer.allocate(requests * response.length);
                        }
                        reply.clear();
                        for (int i = 0; i < requests; i++) {
                            reply.put(response);
                        }
                        reply.flip();
                        channel.write(reply);
                        if (reply.hasRemaining()) {
                            ByteBuffer pending = ByteBuffer.allocate(reply.remaining());
                            pending.put(reply).flip();
                            connection.pending = pending;
                            key.interestOps(SelectionKey.OP_WRITE);
                        }
                    }
                } catch (IOException e) {
                    key.cancel();
                    channel.close();
                }
            }
        }
    }

    /** Counts the request heads that end in the first {@code n} bytes of {@code in}. */
    private static int count(ByteBuffer in, int n, Connection connection) {
        int matched = connection.matched;
        int requests = 0;
        for (int i = 0; i < n; i++) {
            byte b = in.get(i);
            if (b == '\r') {
                matched = (matched == 2) ? 3 : 1;
            } else if (b == '\n') {
                if (matched == 1) {
                    matched = 2;
                } else if (matched == 3) {
                    requests++;
                    matched = 0;
                } else {
                    matched = 0;
                }
            } else {
                matched = 0;
            }
        }
        connection.matched = matched;
        return requests;
    }
}
