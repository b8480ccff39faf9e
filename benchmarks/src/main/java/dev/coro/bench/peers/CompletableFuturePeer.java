package dev.coro.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Hand-written {@code CompletableFuture} chains, every continuation running on one thread
 * ({@link OneThread#EXECUTOR}). A "yield" is a hop through that executor
 * ({@code runAsync(NOOP, loop)}); an async loop is a method that re-schedules itself from a
 * {@code thenRun}/{@code thenAccept} callback (the usual way to loop without nesting futures).
 * Every method returns a checksum that the smoke test checks.
 */
public final class CompletableFuturePeer {
    private static final Executor LOOP = OneThread.EXECUTOR;
    private static final Runnable NOOP = () -> { };

    private CompletableFuturePeer() {
    }

    /**
     * Workload 1: {@code n} sequential "awaits" of an already-completed future, composed with
     * {@code thenCompose}.
     *
     * @param n how many awaits
     * @return the sum of the awaited values ({@code n})
     */
    public static long awaitCompleted(int n) {
        CompletableFuture<Integer> one = CompletableFuture.completedFuture(1);
        CompletableFuture<Long> acc = CompletableFuture.completedFuture(0L);
        for (int i = 0; i < n; i++) {
            acc = acc.thenCompose(s -> one.thenApply(v -> s + v));
        }
        return acc.join();
    }

    /**
     * Workload 2: {@code tasks} asynchronous loops, each yielding {@code yields} times through the
     * one-thread executor, round robin.
     *
     * @param tasks the number of concurrent loops
     * @param yields yields per loop
     * @return the number of yields done
     */
    public static long switches(int tasks, int yields) {
        long[] count = {0};
        return onLoop(() -> {
            List<CompletableFuture<Void>> all = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                yieldLoop(yields, count, done);
                all.add(done);
            }
            return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
        }).thenApply(v -> count[0]).join();
    }

    private static void yieldLoop(int left, long[] count, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        CompletableFuture.runAsync(NOOP, LOOP).thenRun(() -> {
            count[0]++;
            yieldLoop(left - 1, count, done);
        });
    }

    /**
     * Workload 3: {@code repeats} chains run one after the other; a chain of depth {@code d} is a
     * future composed on the chain of depth {@code d - 1}; depth 0 hops through the executor once.
     *
     * @param depth chain depth
     * @param repeats chains run one after the other
     * @return the sum of the chains' results ({@code repeats * depth})
     */
    public static long chain(int depth, int repeats) {
        long[] sum = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        LOOP.execute(() -> chainLoop(depth, repeats, sum, done));
        return done.thenApply(v -> sum[0]).join();
    }

    private static void chainLoop(int depth, int left, long[] sum, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        chainOf(depth).thenAccept(v -> {
            sum[0] += v;
            chainLoop(depth, left - 1, sum, done);
        });
    }

    private static CompletableFuture<Integer> chainOf(int depth) {
        if (depth == 0) {
            return CompletableFuture.supplyAsync(() -> 0, LOOP);
        }
        return chainOf(depth - 1).thenApply(v -> v + 1);
    }

    /**
     * Workload 4a: {@code n} tasks ({@code supplyAsync} on the executor), each awaited before the
     * next is started.
     *
     * @param n how many tasks
     * @return the sum of their results ({@code n})
     */
    public static long spawnAwait(int n) {
        long[] sum = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        LOOP.execute(() -> spawnLoop(n, sum, done));
        return done.thenApply(v -> sum[0]).join();
    }

    private static void spawnLoop(int left, long[] sum, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        CompletableFuture.supplyAsync(() -> 1, LOOP).thenAccept(v -> {
            sum[0] += v;
            spawnLoop(left - 1, sum, done);
        });
    }

    /**
     * Workload 4b: {@code n} tasks started at once from the loop thread, then {@code allOf}.
     *
     * @param n how many tasks
     * @return the sum of their results ({@code n})
     */
    public static long gather(int n) {
        return onLoop(() -> {
            List<CompletableFuture<Integer>> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(CompletableFuture.supplyAsync(() -> 1, LOOP));
            }
            return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
                long s = 0;
                for (CompletableFuture<Integer> f : all) {
                    s += f.join();
                }
                return s;
            });
        }).join();
    }

    /**
     * Workloads 5 and 6: {@code n} tasks, each a future completed after {@code millis} by
     * {@code CompletableFuture.delayedExecutor} on the loop; {@code probe} runs once all are
     * waiting.
     *
     * @param n how many tasks
     * @param millis how long each sleeps
     * @param probe called once all tasks sleep (heap measurement)
     * @return the number of tasks that completed
     */
    public static long sleepers(int n, long millis, Runnable probe) {
        Executor later = CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, LOOP);
        return onLoop(() -> {
            CompletableFuture<?>[] all = new CompletableFuture<?>[n];
            for (int i = 0; i < n; i++) {
                all[i] = CompletableFuture.runAsync(NOOP, later);
            }
            probe.run();
            return CompletableFuture.allOf(all).thenApply(v -> (long) all.length);
        }).join();
    }

    private static <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> body) {
        return CompletableFuture.supplyAsync(body, LOOP).thenCompose(f -> f);
    }

}
