package dev.coro.bench.coro;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.Queue;
import dev.coro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Coro, written the way its users write it: {@code @Async} methods with {@code await}, rewritten
 * at build time by {@code coro-maven-plugin}; each operation is one {@link Coro#run} (a new event
 * loop, like Kotlin's {@code runBlocking} or {@code asyncio.run}). A yield is
 * {@code await(sleep(Duration.ZERO))}. Every method returns a checksum that the smoke test checks.
 */
public final class CoroPeer {
    private CoroPeer() {
    }

    /**
     * Workload 1: {@code n} awaits of an already-completed promise.
     *
     * @param n how many awaits
     * @return the sum of the values ({@code n})
     */
    public static long awaitCompleted(int n) {
        return Coro.run(awaitCompletedAsync(n));
    }

    @Async
    private static Coroutine<Long> awaitCompletedAsync(int n) {
        Promise<Integer> one = Coro.loop().createPromise();
        one.setResult(1);
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += await(one);
        }
        return done(s);
    }

    /**
     * Workload 2: {@code tasks} tasks, each yielding {@code yields} times, round robin.
     *
     * @param tasks how many tasks
     * @param yields yields per task
     * @return the number of yields done
     */
    public static long switches(int tasks, int yields) {
        return Coro.run(switchesAsync(tasks, yields));
    }

    @Async
    private static Coroutine<Long> switchesAsync(int tasks, int yields) {
        List<Task<Long>> all = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            all.add(spawn(yielder(yields)));
        }
        long s = 0;
        for (Task<Long> t : all) {
            s += await(t);
        }
        return done(s);
    }

    @Async
    private static Coroutine<Long> yielder(int yields) {
        long count = 0;
        for (int i = 0; i < yields; i++) {
            await(sleep(Duration.ZERO));
            count++;
        }
        return done(count);
    }

    /**
     * Workload 3: {@code repeats} chains of coroutines {@code depth} deep, the innermost yielding once.
     *
     * @param depth chain depth
     * @param repeats chains run one after the other
     * @return the sum of the chains' results ({@code repeats * depth})
     */
    public static long chain(int depth, int repeats) {
        return Coro.run(chainsAsync(depth, repeats));
    }

    @Async
    private static Coroutine<Long> chainsAsync(int depth, int repeats) {
        long s = 0;
        for (int r = 0; r < repeats; r++) {
            s += await(chainOf(depth));
        }
        return done(s);
    }

    @Async
    private static Coroutine<Integer> chainOf(int depth) {
        if (depth == 0) {
            await(sleep(Duration.ZERO));
            return done(0);
        }
        int below = await(chainOf(depth - 1));
        return done(below + 1);
    }

    @Async
    private static Coroutine<Integer> one() {
        return done(1);
    }

    /**
     * Workload 4a: {@code n} times {@code await(spawn(one()))}, one after the other.
     *
     * @param n how many tasks
     * @return the sum of their results ({@code n})
     */
    public static long spawnAwait(int n) {
        return Coro.run(spawnAwaitAsync(n));
    }

    @Async
    private static Coroutine<Long> spawnAwaitAsync(int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += await(spawn(one()));
        }
        return done(s);
    }

    /**
     * Workload 4b: {@code n} tasks spawned at once, then {@code await(gather(tasks))}.
     *
     * @param n how many tasks
     * @return the sum of their results ({@code n})
     */
    public static long gather(int n) {
        return Coro.run(gatherAsync(n));
    }

    @Async
    private static Coroutine<Long> gatherAsync(int n) {
        List<Task<Integer>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(spawn(one()));
        }
        long s = 0;
        List<Integer> results = await(Coro.<Integer>gather(all));
        for (int v : results) {
            s += v;
        }
        return done(s);
    }

    /**
     * Workloads 5 and 6: {@code n} tasks each in {@code sleep(millis)}; {@code probe} runs once all
     * of them are suspended (one {@code sleep(0)} after spawning them).
     *
     * @param n how many tasks
     * @param millis how long each sleeps
     * @param probe called once all tasks sleep (heap measurement)
     * @return the number of tasks that completed
     */
    public static long sleepers(int n, long millis, Runnable probe) {
        return Coro.run(sleepersAsync(n, millis, probe));
    }

    @Async
    private static Coroutine<Long> sleepersAsync(int n, long millis, Runnable probe) {
        Duration d = Duration.ofMillis(millis);
        Task<?>[] all = new Task<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = spawn(sleeper(d));
        }
        await(sleep(Duration.ZERO));
        probe.run();
        long done = 0;
        for (Task<?> t : all) {
            await(t);
            done++;
        }
        return done(done);
    }

    @Async
    private static Coroutine<Void> sleeper(Duration d) {
        await(sleep(d));
        return done();
    }

    /**
     * Workload 7: a producer task {@code put}s {@code items} ints into a {@code Queue(capacity)}; the
     * main task {@code get}s them.
     *
     * @param capacity the queue's bound
     * @param items how many items
     * @return the sum of the items consumed
     */
    public static long queue(int capacity, int items) {
        return Coro.run(queueAsync(capacity, items));
    }

    @Async
    private static Coroutine<Long> queueAsync(int capacity, int items) {
        Queue<Integer> q = new Queue<>(capacity);
        Task<Void> producer = spawn(produce(q, items));
        long s = 0;
        for (int i = 0; i < items; i++) {
            s += await(q.get());
        }
        await(producer);
        return done(s);
    }

    @Async
    private static Coroutine<Void> produce(Queue<Integer> q, int items) {
        for (int i = 0; i < items; i++) {
            await(q.put(i));
        }
        return done();
    }
}
