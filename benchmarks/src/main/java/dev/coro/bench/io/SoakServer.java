package dev.coro.bench.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.startServer;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The soak server of {@code benchmarks/run-soak.sh}: Coro's streams echo server (one task per
 * connection, each line sent back), which every {@code every} seconds prints, from its loop, one
 * line of a table: seconds since start, open file descriptors ({@code /proc/self/fd}), heap used
 * right after a {@code System.gc()}, connections accepted so far, connections open, connections
 * that ended with an exception. Both the fd count and the heap after GC must stay flat over a soak.
 */
final class SoakServer {
    private static long accepted;
    private static long open;
    private static long failed;
    private static long startNanos;

    private SoakServer() {
    }

    static void serve(int port, int every) {
        Coro.run(main(port, every));
    }

    @Async
    private static Coroutine<Void> main(int port, int every) {
        Server server = await(startServer(SoakServer::handle, "127.0.0.1", port));
        startNanos = System.nanoTime();
        System.out.println("soak server (Coro streams echo) on " + server.addresses() + ", a line every " + every + " s");
        System.out.println(String.format(Locale.ROOT, "%8s %6s %14s %10s %6s %7s", "seconds", "fds", "heap_after_gc_kib",
                "accepted", "open", "failed"));
        report(every);
        await(server.serveForever());
        return done();
    }

    private static void report(int every) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.println(String.format(Locale.ROOT, "%8.0f %6d %14d %10d %6d %7d",
                (System.nanoTime() - startNanos) / 1e9, fds(), heap / 1024, accepted, open, failed));
        loop().callLater(Duration.ofSeconds(every), () -> report(every));
    }

    private static long fds() {
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count() - 1; // less the directory stream's own descriptor
        } catch (IOException e) {
            return -1;
        }
    }

    @Async
    private static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
        accepted++;
        open++;
        try {
            byte[] line;
            while ((line = await(reader.readLine())).length > 0) {
                writer.write(line);
                await(writer.drain());
            }
        } catch (Exception e) { // a reset (await rethrows the SocketException as it is) or a limit overrun
            failed++;
        } finally {
            open--;
        }
        return done();
    }
}
