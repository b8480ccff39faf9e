package dev.coro.bench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak load of {@code benchmarks/run-soak.sh}, two parts running side by side until the end:
 * <ul>
 * <li>{@code clients} connections kept open on one selector thread, each doing echo round trips
 * without pause (one line in flight); a connection that fails is replaced and counts an error;
 * <li>{@value #CYCLERS} threads that together open and close {@code cyclesPerMinute} connections a
 * minute at an even pace (each takes the next slot of one shared schedule), each connection doing
 * one round trip before its close. A slot more than a second late is skipped and counted as
 * missed, so the soak ends on time and says if it could not keep the pace.
 * </ul>
 * Every {@code every} seconds it prints the cycles, round trips, errors and missed slots so far.
 */
final class SoakClient {
    private static final byte[] LINE = "soak soak soak soak soak soak\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CYCLERS = 4;

    private SoakClient() {
    }

    static void run(int port, double minutes, int clients, int cyclesPerMinute, int every) throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long start = System.nanoTime();
        long end = start + (long) (minutes * 60e9);
        AtomicLong roundTrips = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong cycles = new AtomicLong();
        AtomicLong missed = new AtomicLong();
        AtomicLong slot = new AtomicLong();
        long interval = 60_000_000_000L / cyclesPerMinute;

        Thread busy = new Thread(() -> {
            try {
                busyClients(address, clients, end, roundTrips, errors);
            } catch (IOException e) {
                errors.incrementAndGet();
                e.printStackTrace();
            }
        }, "busy-clients");
        busy.start();
        Thread[] cyclers = new Thread[CYCLERS];
        for (int i = 0; i < CYCLERS; i++) {
            cyclers[i] = new Thread(() -> {
                while (true) {
                    long due = start + slot.getAndIncrement() * interval;
                    if (due >= end) {
                        return;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        sleep(wait);
                    } else if (wait < -1_000_000_000L) {
                        missed.incrementAndGet();
                        continue;
                    }
                    try (Socket socket = new Socket()) {
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(30_000);
                        socket.connect(address, 10_000);
                        roundTrip(socket.getInputStream(), socket.getOutputStream());
                        cycles.incrementAndGet();
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
            }, "cycler-" + i);
            cyclers[i].start();
        }
        System.out.println(String.format(Locale.ROOT, "soak client: %d busy connections, %d connect/close cycles a minute, %.1f minutes",
                clients, cyclesPerMinute, minutes));
        while (System.nanoTime() < end) {
            sleep(Math.min(every * 1_000_000_000L, Math.max(1, end - System.nanoTime())));
            System.out.println(String.format(Locale.ROOT, "client %6.0f s: %d cycles, %d missed, %d round trips, %d errors",
                    (System.nanoTime() - start) / 1e9, cycles.get(), missed.get(), roundTrips.get(), errors.get()));
        }
        busy.join();
        for (Thread cycler : cyclers) {
            cycler.join();
        }
        System.out.println(String.format(Locale.ROOT, "client done: %d cycles (%d a minute), %d missed, %d round trips, %d errors",
                cycles.get(), Math.round(cycles.get() / minutes), missed.get(), roundTrips.get(), errors.get()));
    }

    /** The busy connections: echo round trips without pause until {@code end}, then closed. */
    private static void busyClients(InetSocketAddress address, int clients, long end, AtomicLong roundTrips, AtomicLong errors)
            throws IOException {
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < clients; i++) {
                open(selector, address);
            }
            while (System.nanoTime() < end) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    SocketChannel channel = (SocketChannel) key.channel();
                    ByteBuffer in = (ByteBuffer) key.attachment();
                    try {
                        if (channel.read(in) < 0) {
                            throw new IOException("closed by the server");
                        }
                        if (!in.hasRemaining()) {
                            roundTrips.incrementAndGet();
                            in.clear();
                            send(channel);
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        key.cancel();
                        channel.close();
                        open(selector, address);
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
    }

    private static void open(Selector selector, InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(LINE.length));
        send(channel);
    }

    private static void send(SocketChannel channel) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(LINE);
        channel.write(out);
        if (out.hasRemaining()) {
            throw new IOException("short write of one line");
        }
    }

    private static void roundTrip(InputStream in, OutputStream out) throws IOException {
        out.write(LINE);
        int read = 0;
        byte[] answer = new byte[LINE.length];
        while (read < answer.length) {
            int n = in.read(answer, read, answer.length - read);
            if (n < 0) {
                throw new IOException("the server closed the connection");
            }
            read += n;
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
