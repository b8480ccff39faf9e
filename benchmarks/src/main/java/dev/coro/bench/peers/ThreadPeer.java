package dev.coro.bench.peers;

import java.lang.reflect.Method;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;

/**
 * Blocking code on threads: virtual threads ({@link #VIRTUAL}, JDK 21+; the benchmarks run them on
 * one carrier with {@code -Djdk.virtualThreadScheduler.parallelism=1}) or platform threads
 * ({@link #PLATFORM}). "Await" is a blocking call, "yield" is {@link Thread#yield()}, a task is a
 * thread started and joined, a sleep is {@link Thread#sleep(long)}, a queue is an
 * {@link ArrayBlockingQueue}.
 *
 * <p>This class compiles with {@code --release 17}: virtual threads are reached through
 * reflection ({@code Thread.ofVirtual().factory()}) once, at class initialisation.
 */
public final class ThreadPeer {
    /** Virtual threads, or {@code null} before JDK 21. */
    public static final ThreadFactory VIRTUAL = virtualThreads();
    /** Platform (daemon) threads. */
    public static final ThreadFactory PLATFORM = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    private final ThreadFactory threads;

    /**
     * A peer running its tasks on threads from {@code threads}.
     *
     * @param threads {@link #VIRTUAL} or {@link #PLATFORM}
     * @throws IllegalStateException when {@code threads} is null (virtual threads before JDK 21)
     */
    public ThreadPeer(ThreadFactory threads) {
        if (threads == null) {
            throw new IllegalStateException("virtual threads need JDK 21 or later; this is Java "
                    + Runtime.version() + ": run the virtual-thread benchmarks on a newer JDK "
                    + "(run-benchmarks.sh uses Temurin 25)");
        }
        this.threads = threads;
    }

    /** @return whether this JVM has virtual threads */
    public static boolean virtualThreadsAvailable() {
        return VIRTUAL != null;
    }

    private static ThreadFactory virtualThreads() {
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Workload 1: {@code n} blocking "awaits" ({@code join}) of an already-completed future, in
     * one thread of this peer.
     *
     * @param n how many awaits
     * @return the sum of the values ({@code n})
     */
    public long awaitCompleted(int n) {
        CompletableFuture<Integer> one = CompletableFuture.completedFuture(1);
        long[] sum = {0};
        runAll(1, i -> {
            long s = 0;
            for (int k = 0; k < n; k++) {
                s += one.join();
            }
            sum[0] = s;
        });
        return sum[0];
    }

    /**
     * Workload 2: {@code tasks} threads, each calling {@link Thread#yield()} {@code yields} times.
     *
     * @param tasks how many threads
     * @param yields yields per thread
     * @return the number of yields done
     */
    public long switches(int tasks, int yields) {
        long[] perTask = new long[tasks];
        runAll(tasks, i -> {
            for (int k = 0; k < yields; k++) {
                Thread.yield();
                perTask[i]++;
            }
        });
        long s = 0;
        for (long c : perTask) {
            s += c;
        }
        return s;
    }

    /**
     * Workload 3: {@code repeats} plain recursive calls of depth {@code depth}, the innermost
     * yielding once; blocking code has no per-level await cost beyond the call.
     *
     * @param depth chain depth
     * @param repeats chains run one after the other
     * @return the sum of the chains' results ({@code repeats * depth})
     */
    public long chain(int depth, int repeats) {
        long[] sum = {0};
        runAll(1, i -> {
            long s = 0;
            for (int r = 0; r < repeats; r++) {
                s += chainOf(depth);
            }
            sum[0] = s;
        });
        return sum[0];
    }

    private static int chainOf(int depth) {
        if (depth == 0) {
            Thread.yield();
            return 0;
        }
        return chainOf(depth - 1) + 1;
    }

    /**
     * Workload 4a: {@code n} threads, each started and joined before the next.
     *
     * @param n how many threads
     * @return the sum of their results ({@code n})
     */
    public long spawnAwait(int n) {
        long[] sum = {0};
        runAll(1, ignored -> {
            for (int i = 0; i < n; i++) {
                int[] result = {0};
                Thread t = threads.newThread(() -> result[0] = 1);
                t.start();
                join(t);
                sum[0] += result[0];
            }
        });
        return sum[0];
    }

    /**
     * Workload 4b: {@code n} threads started at once, then all joined.
     *
     * @param n how many threads
     * @return the sum of their results ({@code n})
     */
    public long gather(int n) {
        int[] results = new int[n];
        long[] sum = {0};
        runAll(1, ignored -> {
            Thread[] all = new Thread[n];
            for (int i = 0; i < n; i++) {
                int k = i;
                all[i] = threads.newThread(() -> results[k] = 1);
                all[i].start();
            }
            long s = 0;
            for (int i = 0; i < n; i++) {
                join(all[i]);
                s += results[i];
            }
            sum[0] = s;
        });
        return sum[0];
    }

    /**
     * Workloads 5 and 6: {@code n} threads each sleeping {@code millis}; {@code probe} runs once
     * all of them are in {@code Thread.sleep} (state {@code TIMED_WAITING}).
     *
     * @param n how many threads
     * @param millis how long each sleeps
     * @param probe called once all threads sleep (heap measurement)
     * @return the number of threads that completed
     */
    public long sleepers(int n, long millis, Runnable probe) {
        Thread[] all = new Thread[n];
        CountDownLatch started = new CountDownLatch(n);
        long[] done = new long[1];
        for (int i = 0; i < n; i++) {
            all[i] = threads.newThread(() -> {
                started.countDown();
                sleep(millis);
            });
            all[i].start();
        }
        try {
            started.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        for (Thread t : all) {
            while (t.isAlive() && t.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
        }
        probe.run();
        for (Thread t : all) {
            join(t);
            done[0]++;
        }
        return done[0];
    }

    /**
     * Workload 7: a producer thread {@code put}s {@code items} integers into an
     * {@link ArrayBlockingQueue} of {@code capacity}; a consumer thread {@code take}s them.
     *
     * @param capacity the queue's bound
     * @param items how many items
     * @return the sum of the items consumed
     */
    public long queue(int capacity, int items) {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(capacity);
        long[] sum = {0};
        runAll(2, role -> {
            try {
                if (role == 0) {
                    for (int i = 0; i < items; i++) {
                        q.put(i);
                    }
                } else {
                    long s = 0;
                    for (int i = 0; i < items; i++) {
                        s += q.take();
                    }
                    sum[0] = s;
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return sum[0];
    }

    /** A body run on thread number {@code i}. */
    private interface Body {
        void run(int i);
    }

    private void runAll(int n, Body body) {
        Thread[] all = new Thread[n];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < n; i++) {
            int k = i;
            all[i] = threads.newThread(() -> {
                try {
                    body.run(k);
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            });
            all[i].start();
        }
        for (Thread t : all) {
            join(t);
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("a benchmark thread failed", failure[0]);
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
