package dev.coro.bench.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The TLS echo load generator, the same for every TLS echo server: {@link EchoLoad}'s closed loop
 * ({@code connections} connections on one selector thread, one line of {@code size} bytes in
 * flight per connection) over TLS, each connection with its own JDK {@link SSLEngine} (client
 * mode, TLS 1.3 and one cipher suite, {@link TlsSetup}). The handshakes are done first, one by
 * one and blocking, before the clock starts; only echo round trips are measured. Prints one JSON
 * line as {@link EchoLoad} does, plus the negotiated {@code protocol} and {@code cipherSuite}.
 */
final class TlsEchoLoad {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private TlsEchoLoad() {
    }

    private static final class Connection {
        final SocketChannel channel;
        final SSLEngine engine;
        final ByteBuffer line;
        final ByteBuffer netOut;
        final ByteBuffer netIn; // kept ready for channel.read (write mode) between steps
        final ByteBuffer appIn;
        int received;

        Connection(SocketChannel channel, SSLEngine engine, byte[] line) {
            this.channel = channel;
            this.engine = engine;
            this.line = ByteBuffer.wrap(line);
            SSLSession session = engine.getSession();
            netOut = ByteBuffer.allocate(session.getPacketBufferSize());
            netIn = ByteBuffer.allocate(session.getPacketBufferSize() * 2);
            appIn = ByteBuffer.allocate(Math.max(session.getApplicationBufferSize(), line.length) * 2);
        }

        /** The handshake, blocking. */
        void handshake() throws IOException {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                switch (status) {
                    case NEED_WRAP -> wrapAndWrite(EMPTY, /* blocking = */ true);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        netIn.flip();
                        SSLEngineResult r = engine.unwrap(netIn, appIn);
                        netIn.compact();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && channel.read(netIn) < 0) {
                            throw new IOException("the server closed the connection during the TLS handshake");
                        }
                    }
                    case NEED_TASK -> runTasks();
                    default -> throw new IllegalStateException("handshake status " + status);
                }
                status = engine.getHandshakeStatus();
            }
            appIn.clear();
        }

        void runTasks() {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }

        void wrapAndWrite(ByteBuffer data, boolean blocking) throws IOException {
            netOut.clear();
            SSLEngineResult r = engine.wrap(data, netOut);
            if (r.getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("wrap: " + r);
            }
            netOut.flip();
            if (blocking) {
                while (netOut.hasRemaining()) {
                    channel.write(netOut);
                }
            } else {
                channel.write(netOut);
                if (netOut.hasRemaining()) {
                    throw new IOException("a short write of a " + netOut.limit() + "-byte TLS record");
                }
            }
        }

        void send() throws IOException {
            line.clear();
            wrapAndWrite(line, /* blocking = */ false);
        }

        /** Reads what is there; returns true when a whole line has come back. */
        boolean readable() throws IOException {
            if (channel.read(netIn) < 0) {
                throw new IOException("the server closed a connection");
            }
            netIn.flip();
            while (netIn.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("unwrap: " + r);
                }
                received += r.bytesProduced();
                appIn.clear(); // only the count matters
                HandshakeStatus status = r.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    runTasks();
                    status = engine.getHandshakeStatus();
                }
                if (status == HandshakeStatus.NEED_WRAP) { // a key update's answer
                    wrapAndWrite(EMPTY, /* blocking = */ true);
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
            }
            netIn.compact();
            if (received >= line.capacity()) {
                received -= line.capacity();
                return true;
            }
            return false;
        }
    }

    static void run(int port, int connections, double seconds, double warmup, int size, Path keyStore) throws Exception {
        byte[] line = new byte[Math.max(size, 2)];
        Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        SSLContext context = TlsSetup.context(keyStore);
        Selector selector = Selector.open();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        String protocol = null;
        String cipherSuite = null;
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(address); // blocking connect and handshake, then non-blocking
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SSLEngine engine = context.createSSLEngine("127.0.0.1", port);
            engine.setUseClientMode(true);
            TlsSetup.restrict(engine);
            Connection connection = new Connection(channel, engine, line);
            connection.handshake();
            protocol = engine.getSession().getProtocol();
            cipherSuite = engine.getSession().getCipherSuite();
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, connection);
            connection.send();
        }
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long roundTrips = 0;
        long counted = -1;
        double cpuFrom = EchoLoad.cpuSeconds();
        while (true) {
            long now = System.nanoTime();
            if (counted < 0 && now >= measureFrom) {
                counted = roundTrips;
                measureFrom = now;
                cpuFrom = EchoLoad.cpuSeconds();
            }
            if (now >= end) {
                break;
            }
            selector.select(Math.max(1, (end - now) / 1_000_000));
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Connection connection = (Connection) key.attachment();
                if (connection.readable()) {
                    roundTrips++;
                    connection.send();
                }
            }
        }
        long measured = roundTrips - Math.max(counted, 0);
        double elapsed = (System.nanoTime() - measureFrom) / 1e9;
        double busy = (EchoLoad.cpuSeconds() - cpuFrom) / elapsed;
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
        System.out.println(String.format(Locale.ROOT,
                "{\"connections\":%d,\"size\":%d,\"seconds\":%.3f,\"roundTrips\":%d,\"perSecond\":%.1f,\"totalRoundTrips\":%d,"
                        + "\"clientCpuBusy\":%.3f,\"protocol\":\"%s\",\"cipherSuite\":\"%s\"}",
                connections, line.length, elapsed, measured, measured / elapsed, roundTrips, busy, protocol, cipherSuite));
    }
}
