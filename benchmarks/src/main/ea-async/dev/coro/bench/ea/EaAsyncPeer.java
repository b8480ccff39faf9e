package dev.coro.bench.ea;

import static com.ea.async.Async.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;

/**
 * ea-async 1.2.3: methods returning {@code CompletableFuture} that call {@code Async.await},
 * rewritten at build time by {@code ea-async-maven-plugin}. ea-async has no scheduler of its own:
 * its continuations run where the awaited future completes, here on one thread (the peer's own
 * single-thread executor, the closest thing to an event loop). A "yield" is
 * {@code await(runAsync(NOOP, loop))}. Compiled for Java 11 (ea-async's ASM 7.1 reads class files
 * up to Java 13). Every method returns a checksum that the smoke test checks.
 */
public final class EaAsyncPeer {
    private static final ExecutorService LOOP = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ea-async-loop");
        t.setDaemon(true);
        return t;
    });
    private static final Runnable NOOP = () -> { };

    private EaAsyncPeer() {
    }

    /**
     * Workload 1: {@code n} awaits of an already-completed future.
     *
     * @param n how many awaits
     * @return the sum of the values ({@code n})
     */
    public static long awaitCompleted(int n) {
        CompletableFuture<Integer> one = CompletableFuture.completedFuture(1);
        return onLoop(() -> awaitCompletedAsync(one, n)).join();
    }

    private static CompletableFuture<Long> awaitCompletedAsync(CompletableFuture<Integer> one, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += await(one);
        }
        return CompletableFuture.completedFuture(s);
    }

    /**
     * Workload 2: {@code tasks} async methods, each yielding {@code yields} times, round robin.
     *
     * @param tasks how many async methods run at once
     * @param yields yields per method
     * @return the number of yields done
     */
    public static long switches(int tasks, int yields) {
        return onLoop(() -> switchesAsync(tasks, yields)).join();
    }

    private static CompletableFuture<Long> switchesAsync(int tasks, int yields) {
        List<CompletableFuture<Long>> all = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            all.add(yielder(yields));
        }
        await(CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])));
        long s = 0;
        for (CompletableFuture<Long> f : all) {
            s += f.join();
        }
        return CompletableFuture.completedFuture(s);
    }

    private static CompletableFuture<Long> yielder(int yields) {
        long count = 0;
        for (int i = 0; i < yields; i++) {
            await(CompletableFuture.runAsync(NOOP, LOOP));
            count++;
        }
        return CompletableFuture.completedFuture(count);
    }

    /**
     * Workload 3: {@code repeats} chains of async methods {@code depth} deep, the innermost
     * yielding once.
     *
     * @param depth chain depth
     * @param repeats chains run one after the other
     * @return the sum of the chains' results ({@code repeats * depth})
     */
    public static long chain(int depth, int repeats) {
        return onLoop(() -> chainsAsync(depth, repeats)).join();
    }

    private static CompletableFuture<Long> chainsAsync(int depth, int repeats) {
        long s = 0;
        for (int r = 0; r < repeats; r++) {
            s += await(chainOf(depth));
        }
        return CompletableFuture.completedFuture(s);
    }

    private static CompletableFuture<Integer> chainOf(int depth) {
        if (depth == 0) {
            await(CompletableFuture.runAsync(NOOP, LOOP));
            return CompletableFuture.completedFuture(0);
        }
        int below = await(chainOf(depth - 1));
        return CompletableFuture.completedFuture(below + 1);
    }

    /**
     * Workload 4a: {@code n} tasks ({@code supplyAsync} on the loop), each awaited before the next.
     *
     * @param n how many tasks
     * @return the sum of their results ({@code n})
     */
    public static long spawnAwait(int n) {
        return onLoop(() -> spawnAwaitAsync(n)).join();
    }

    private static CompletableFuture<Long> spawnAwaitAsync(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += await(CompletableFuture.supplyAsync(() -> 1, LOOP));
        }
        return CompletableFuture.completedFuture(s);
    }

    /**
     * Workload 4b: {@code n} tasks started at once, then one await of {@code allOf}.
     *
     * @param n how many tasks
     * @return the sum of their results ({@code n})
     */
    public static long gather(int n) {
        return onLoop(() -> gatherAsync(n)).join();
    }

    private static CompletableFuture<Long> gatherAsync(int n) {
        List<CompletableFuture<Integer>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(CompletableFuture.supplyAsync(() -> 1, LOOP));
        }
        await(CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])));
        long s = 0;
        for (CompletableFuture<Integer> f : all) {
            s += f.join();
        }
        return CompletableFuture.completedFuture(s);
    }

    /**
     * Workloads 5 and 6: {@code n} async methods each awaiting a future completed after
     * {@code millis} ({@code delayedExecutor} on the loop); {@code probe} runs once all wait.
     *
     * @param n how many async methods
     * @param millis how long each sleeps
     * @param probe called once all of them wait (heap measurement)
     * @return the number that completed
     */
    public static long sleepers(int n, long millis, Runnable probe) {
        Executor later = CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS, LOOP);
        return onLoop(() -> sleepersAsync(n, later, probe)).join();
    }

    private static CompletableFuture<Long> sleepersAsync(int n, Executor later, Runnable probe) {
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = sleeper(later);
        }
        probe.run();
        await(CompletableFuture.allOf(all));
        return CompletableFuture.completedFuture((long) n);
    }

    private static CompletableFuture<Void> sleeper(Executor later) {
        await(CompletableFuture.runAsync(NOOP, later));
        return CompletableFuture.completedFuture(null);
    }

    private static <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> body) {
        return CompletableFuture.supplyAsync(body, LOOP).thenCompose(f -> f);
    }
}
