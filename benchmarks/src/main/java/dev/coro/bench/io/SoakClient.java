package dev.coro.bench.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak load of {@code benchmarks/run-soak.sh}: {@code clients} threads, each on one connection
 * kept open, doing echo round trips without pause for the whole soak (a thread whose connection
 * fails reconnects and counts an error), and one thread that opens and closes
 * {@code cyclesPerMinute} connections a minute at an even pace, each doing one round trip before
 * the close. Every {@code every} seconds it prints the cycles and round trips done so far.
 */
final class SoakClient {
    private static final byte[] LINE = "soak soak soak soak soak soak\n".getBytes(StandardCharsets.US_ASCII);

    private SoakClient() {
    }

    static void run(int port, double minutes, int clients, int cyclesPerMinute, int every) throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        long end = System.nanoTime() + (long) (minutes * 60e9);
        AtomicLong roundTrips = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong cycles = new AtomicLong();
        Thread[] busy = new Thread[clients];
        for (int i = 0; i < clients; i++) {
            busy[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (Socket socket = connect(address)) {
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        while (System.nanoTime() < end) {
                            roundTrip(in, out);
                            roundTrips.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
            }, "busy-" + i);
            busy[i].setDaemon(true);
            busy[i].start();
        }
        Thread cycler = new Thread(() -> {
            long interval = 60_000_000_000L / cyclesPerMinute;
            long next = System.nanoTime();
            while (next < end) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleep(wait);
                }
                try (Socket socket = connect(address)) {
                    roundTrip(socket.getInputStream(), socket.getOutputStream());
                    cycles.incrementAndGet();
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
                next += interval;
            }
        }, "cycler");
        cycler.setDaemon(true);
        cycler.start();
        long start = System.nanoTime();
        System.out.println(String.format(Locale.ROOT, "soak client: %d busy clients, %d connect/close cycles a minute, %.1f minutes",
                clients, cyclesPerMinute, minutes));
        while (System.nanoTime() < end) {
            sleep(Math.min(every * 1_000_000_000L, Math.max(1, end - System.nanoTime())));
            System.out.println(String.format(Locale.ROOT, "client %6.0f s: %d cycles, %d round trips, %d errors",
                    (System.nanoTime() - start) / 1e9, cycles.get(), roundTrips.get(), errors.get()));
        }
        cycler.join(5_000);
        for (Thread thread : busy) {
            thread.join(5_000);
        }
        System.out.println(String.format(Locale.ROOT, "client done: %d cycles, %d round trips, %d errors",
                cycles.get(), roundTrips.get(), errors.get()));
    }

    private static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(address, 10_000);
        return socket;
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
