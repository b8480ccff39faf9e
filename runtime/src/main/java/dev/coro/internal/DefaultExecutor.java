package dev.coro.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's default executor (asyncio's {@code ThreadPoolExecutor} for {@code run_in_executor(None, ...)}
 * and {@code to_thread}): made on first use, {@code min(32, cores + 4)} daemon threads named
 * {@code coro-executor-N} that time out when idle. Safe to use from any thread.
 */
public final class DefaultExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private volatile ExecutorService pool;

    /**
     * @return the executor, made now if needed
     */
    public ExecutorService get() {
        ExecutorService e = pool;
        if (e == null) {
            synchronized (this) {
                e = pool;
                if (e == null) {
                    int max = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
                    ThreadPoolExecutor p = new ThreadPoolExecutor(max, max, 60, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "coro-executor-" + THREADS.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    p.allowCoreThreadTimeOut(true);
                    pool = e = p;
                }
            }
        }
        return e;
    }

    /**
     * Replaces the executor (asyncio's {@code set_default_executor}); the previous one, if made,
     * is not shut down (its owner decides).
     *
     * @param executor the new executor
     */
    public synchronized void set(ExecutorService executor) {
        pool = executor;
    }

    /**
     * @return the executor if it was made, else null
     */
    public ExecutorService ifMade() {
        return pool;
    }

    /** Stops accepting jobs (running ones go on). */
    public void shutdown() {
        ExecutorService e = pool;
        if (e != null) {
            e.shutdown();
        }
    }

    /**
     * Blocks until the running jobs have finished or {@code timeout} has passed.
     *
     * @param timeout the longest wait
     * @return true if all jobs finished
     * @throws InterruptedException if interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        ExecutorService e = pool;
        return e == null || e.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
