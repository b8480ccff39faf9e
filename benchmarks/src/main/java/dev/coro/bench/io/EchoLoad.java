package dev.coro.bench.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * The echo load generator, the same for every echo server: {@code connections} connections on one
 * selector thread, each sending a line of {@code size} bytes ({@code \n} included) and waiting for
 * all of it to come back before sending the next (a closed loop: one round trip in flight per
 * connection). Runs {@code warmup} seconds unmeasured, then counts the round trips completed in
 * {@code seconds}, and prints one JSON line: {@code {"connections":..,"seconds":..,"roundTrips":..,"perSecond":..,"totalRoundTrips":..,"clientCpuBusy":..}}
 * (totalRoundTrips with the warm-up's; clientCpuBusy: this process's CPU seconds per second while measuring,
 * near 1.0 when the load generator is the bottleneck).
 */
final class EchoLoad {
    private EchoLoad() {
    }

    /** @return this process's user + system CPU seconds ({@code /proc/self/stat}), or 0 where there is none */
    static double cpuSeconds() {
        try {
            String stat = new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")),
                    java.nio.charset.StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static final class Connection {
        final ByteBuffer out;
        final ByteBuffer in;

        Connection(byte[] line) {
            out = ByteBuffer.wrap(line);
            in = ByteBuffer.allocate(line.length);
        }
    }

    static void run(int port, int connections, double seconds, double warmup, int size) throws IOException {
        byte[] line = new byte[Math.max(size, 2)];
        Arrays.fill(line, (byte) 'x');
        line[line.length - 1] = '\n';
        Selector selector = Selector.open();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open(address); // blocking connect, then non-blocking
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            Connection connection = new Connection(line);
            channel.register(selector, SelectionKey.OP_READ, connection);
            channel.write(connection.out);
            if (connection.out.hasRemaining()) {
                throw new IOException("a " + line.length + "-byte line did not fit in an empty socket buffer");
            }
        }
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmup * 1e9);
        long end = measureFrom + (long) (seconds * 1e9);
        long roundTrips = 0;
        long counted = -1;
        double cpuFrom = cpuSeconds();
        while (true) {
            long now = System.nanoTime();
            if (counted < 0 && now >= measureFrom) {
                counted = roundTrips;
                measureFrom = now;
                cpuFrom = cpuSeconds();
            }
            if (now >= end) {
                break;
            }
            selector.select(Math.max(1, (end - now) / 1_000_000));
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                SocketChannel channel = (SocketChannel) key.channel();
                Connection connection = (Connection) key.attachment();
                int n = channel.read(connection.in);
                if (n < 0) {
                    throw new IOException("the server closed a connection");
                }
                if (!connection.in.hasRemaining()) {
                    roundTrips++;
                    connection.in.clear();
                    connection.out.clear();
                    channel.write(connection.out);
                    if (connection.out.hasRemaining()) {
                        throw new IOException("a short write of " + line.length + " bytes");
                    }
                }
            }
        }
        long measured = roundTrips - Math.max(counted, 0);
        double elapsed = (System.nanoTime() - measureFrom) / 1e9;
        double busy = (cpuSeconds() - cpuFrom) / elapsed; // near 1: the load generator, not the server, is the limit
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
        System.out.println(String.format(Locale.ROOT,
                "{\"connections\":%d,\"size\":%d,\"seconds\":%.3f,\"roundTrips\":%d,\"perSecond\":%.1f,\"totalRoundTrips\":%d,\"clientCpuBusy\":%.3f}",
                connections, line.length, elapsed, measured, measured / elapsed, roundTrips, busy));
    }
}
