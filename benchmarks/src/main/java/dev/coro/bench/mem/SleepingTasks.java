package dev.coro.bench.mem;

import dev.coro.bench.coro.CoroPeer;
import dev.coro.bench.ea.EaAsyncPeer;
import dev.coro.bench.kt.KotlinPeer;
import dev.coro.bench.peers.CompletableFuturePeer;
import dev.coro.bench.peers.ThreadPeer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * Workloads 5 and 6, outside JMH (they measure memory and one wall time, not a steady state): each
 * run is its own JVM, started by {@code run-benchmarks.sh}.
 *
 * <pre>
 * java -cp benchmarks.jar dev.coro.bench.mem.SleepingTasks PEER heap N   # workload 5
 * java -cp benchmarks.jar dev.coro.bench.mem.SleepingTasks PEER wall N   # workload 6
 * </pre>
 * PEER is one of {@code coro kotlin virtualThread eaAsync completableFuture}.
 *
 * <p>{@code heap}: after a small warm-up run (classes loaded), the heap in use after full GCs is the
 * baseline; N tasks are started, each sleeping one hour; once all are suspended the heap in use after
 * full GCs is measured again; (after - baseline) / N is the retained heap per sleeping task (it
 * includes the reference each peer keeps to join its tasks). The JVM then halts.
 *
 * <p>{@code wall}: N tasks each sleeping 1 s at once; the wall time from before the first spawn to
 * after the last completion, and the peak heap (the sum of the heap pools' peak usage, reset at the
 * start; an upper bound of the real peak).
 *
 * <p>Each run prints one line of JSON on standard output.
 */
public final class SleepingTasks {
    private SleepingTasks() {
    }

    /** One peer's way to run N sleeping tasks. */
    interface Peer {
        long sleepers(int n, long millis, Runnable probe);
    }

    static Peer peer(String name) {
        switch (name) {
            case "coro":
                return CoroPeer::sleepers;
            case "kotlin":
                return KotlinPeer::sleepers;
            case "virtualThread":
                return new ThreadPeer(ThreadPeer.VIRTUAL)::sleepers;
            case "eaAsync":
                return EaAsyncPeer::sleepers;
            case "completableFuture":
                return CompletableFuturePeer::sleepers;
            default:
                throw new IllegalArgumentException("unknown peer '" + name
                        + "': use one of coro kotlin virtualThread eaAsync completableFuture");
        }
    }

    /**
     * Runs one measurement.
     *
     * @param args PEER (heap|wall) N
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: SleepingTasks PEER heap|wall N   "
                    + "(PEER: coro kotlin virtualThread eaAsync completableFuture)");
            System.exit(2);
        }
        String name = args[0];
        Peer peer = peer(name);
        int n = Integer.parseInt(args[2]);
        switch (args[1]) {
            case "heap":
                System.out.println(heap(name, peer, n, true));
                break;
            case "wall":
                System.out.println(wall(name, peer, n));
                break;
            default:
                throw new IllegalArgumentException("mode must be heap or wall, not " + args[1]);
        }
    }

    /**
     * Workload 5: retained heap per sleeping task.
     *
     * @param name the peer's name, for the output
     * @param peer the peer
     * @param n how many tasks
     * @param halt whether to halt the JVM once measured (instead of waiting for the tasks to end)
     * @return one line of JSON
     */
    static String heap(String name, Peer peer, int n, boolean halt) {
        peer.sleepers(1000, 1, () -> { });                // warm-up: load the classes involved
        long before = usedAfterGc();
        String[] line = new String[1];
        peer.sleepers(n, halt ? 3_600_000 : 10, () -> {
            long after = usedAfterGc();
            line[0] = String.format(Locale.ROOT,
                    "{\"workload\":\"heapPerTask\",\"peer\":\"%s\",\"tasks\":%d,\"baselineBytes\":%d,"
                            + "\"afterBytes\":%d,\"bytesPerTask\":%.1f,\"java\":\"%s\"}",
                    name, n, before, after, (after - before) / (double) n, Runtime.version());
            if (halt) {
                System.out.println(line[0]);
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
        });
        return line[0];
    }

    /**
     * Workload 6: N tasks sleeping 1 s at once; wall time and peak heap.
     *
     * @param name the peer's name, for the output
     * @param peer the peer
     * @param n how many tasks
     * @return one line of JSON
     */
    static String wall(String name, Peer peer, int n) {
        return wall(name, peer, n, 1000);
    }

    static String wall(String name, Peer peer, int n, long millis) {
        peer.sleepers(1000, 1, () -> { });                // warm-up: load the classes involved
        usedAfterGc();
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        long start = System.nanoTime();
        long done = peer.sleepers(n, millis, () -> { });
        long wallNanos = System.nanoTime() - start;
        if (done != n) {
            throw new IllegalStateException(name + ": " + done + " of " + n + " tasks completed");
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return String.format(Locale.ROOT,
                "{\"workload\":\"sleepAtOnce\",\"peer\":\"%s\",\"tasks\":%d,\"sleepMillis\":%d,"
                        + "\"wallSeconds\":%.3f,\"peakHeapMB\":%.1f,\"gcCount\":%d,\"gcMillis\":%d,"
                        + "\"java\":\"%s\"}",
                name, n, millis, wallNanos / 1e9, peak / 1048576.0, gcCount() - gcCount0,
                gcMillis() - gcMillis0, Runtime.version());
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcCount() {
        long c = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            c += Math.max(0, gc.getCollectionCount());
        }
        return c;
    }

    private static long gcMillis() {
        long c = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            c += Math.max(0, gc.getCollectionTime());
        }
        return c;
    }
}
