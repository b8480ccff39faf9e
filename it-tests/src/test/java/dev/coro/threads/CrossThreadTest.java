package dev.coro.threads;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A loop running on its own thread, used from many others: run_coroutine_threadsafe and promises. */
@Timeout(60)
class CrossThreadTest {
    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void startLoop() throws Exception {
        loop = EventLoop.create();
        CountDownLatch running = new CountDownLatch(1);
        loopThread = new Thread(() -> {
            loop.callSoon(running::countDown);
            loop.runForever();
        }, "the-loop");
        loopThread.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
    }

    @AfterEach
    void stopLoop() throws Exception {
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(10_000);
        loop.close();
    }

    @Async
    static Coroutine<String> hello(String name) {
        await(sleep(Duration.ofMillis(5)));
        return done("hello " + name + " from " + Thread.currentThread().getName());
    }

    @Async
    static Coroutine<String> fails() {
        await(sleep(Duration.ofMillis(1)));
        throw new IllegalArgumentException("bad");
    }

    @Async
    static Coroutine<String> sleepsForever(CountDownLatch started, List<String> out, CountDownLatch finallyRan) {
        started.countDown();
        try {
            await(sleep(Duration.ofHours(1)));
            return done("woke");
        } catch (CancelledError e) {
            out.add("cancelled");
            throw e;
        } finally {
            out.add("finally");
            finallyRan.countDown();
        }
    }

    @Test
    void runCoroutineThreadsafe_givesTheResultOnTheCallersThread() throws Exception {
        CompletableFuture<String> f = Coro.runCoroutineThreadsafe(hello("you"), loop);
        assertEquals("hello you from the-loop", f.get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> Coro.runCoroutineThreadsafe(fails(), loop).get(10, TimeUnit.SECONDS));
        assertEquals(IllegalArgumentException.class, e.getCause().getClass());
        assertEquals("bad", e.getCause().getMessage());
    }

    @Test
    void cancellingTheFuture_cancelsTheTask_whoseFinallyRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finallyRan = new CountDownLatch(1);
        List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<String> f = Coro.runCoroutineThreadsafe(sleepsForever(started, out, finallyRan), loop);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(f.cancel(true));
        assertTrue(finallyRan.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("cancelled", "finally"), out);
        assertThrows(CancellationException.class, f::join);
        assertTrue(f.isCancelled());
    }

    @Test
    void cancelledBeforeItStarts_neverRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finallyRan = new CountDownLatch(1);
        List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch block = new CountDownLatch(1);
        loop.callSoonThreadsafe(() -> {
            try {
                block.await(); // keep the loop busy while the future is made and cancelled
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<String> f = Coro.runCoroutineThreadsafe(sleepsForever(started, out, finallyRan), loop);
        assertTrue(f.cancel(false));
        block.countDown();
        CompletableFuture<Void> marker = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> loop.callSoon(() -> marker.complete(null)));
        marker.get(10, TimeUnit.SECONDS);
        assertEquals(1, started.getCount(), "the coroutine never started");
        assertEquals(List.of(), out);
    }

    /**
     * Promises completed on the loop, read by 8 threads at once through toCompletableFuture() and
     * result(): every reader sees every value.
     */
    @Test
    void manyThreadsReadDonePromisesAndTheirFutures() throws Exception {
        int n = 2_000;
        List<Promise<Integer>> promises = onLoop(() -> {
            List<Promise<Integer>> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(loop.createPromise());
            }
            return list;
        });
        int readers = 8;
        List<Thread> threads = new ArrayList<>();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        for (int r = 0; r < readers; r++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    List<CompletableFuture<Integer>> futures = new ArrayList<>();
                    for (Promise<Integer> p : promises) {
                        futures.add(p.toCompletableFuture()); // from any thread, pending or done
                    }
                    for (int i = 0; i < n; i++) {
                        if (futures.get(i).get(10, TimeUnit.SECONDS) != i) {
                            wrong.incrementAndGet();
                        }
                        Promise<Integer> p = promises.get(i);
                        if (!p.isDone() || p.result() != i || p.exception() != null) {
                            wrong.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    wrong.incrementAndGet();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (int i = 0; i < n; i++) {
            int value = i;
            loop.callSoonThreadsafe(() -> promises.get(value).setResult(value));
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(0, wrong.get());
    }

    /**
     * cancel() on another thread races the loop's setResult: cancel's answer is the truth each time
     * (true: cancelled for good; false: the value is there), and done callbacks run once, on the loop.
     */
    @Test
    void crossThreadCancelRacingCompletion_returnsTheTruth() throws Exception {
        int rounds = 5_000;
        int cancelledCount = 0;
        for (int i = 0; i < rounds; i++) {
            Promise<Integer> p = onLoop(() -> loop.createPromise());
            AtomicInteger callbacks = new AtomicInteger();
            AtomicInteger callbackOffLoop = new AtomicInteger();
            onLoop(() -> {
                p.addDoneCallback(x -> {
                    callbacks.incrementAndGet();
                    if (Thread.currentThread() != loopThread) {
                        callbackOffLoop.incrementAndGet();
                    }
                });
                return null;
            });
            int value = i;
            loop.callSoonThreadsafe(() -> {
                try {
                    p.setResult(value);
                } catch (IllegalStateException alreadyCancelled) {
                    // the other thread's cancel came first (even between an isDone() and this)
                }
            });
            boolean cancelled = p.cancel();
            CompletableFuture<Integer> f = p.toCompletableFuture();
            if (cancelled) {
                cancelledCount++;
                assertTrue(p.isCancelled(), "cancel() said true");
                assertThrows(CancellationException.class, () -> f.get(10, TimeUnit.SECONDS));
                assertThrows(CancelledError.class, p::result);
            } else {
                assertEquals(value, f.get(10, TimeUnit.SECONDS));
                assertEquals(value, p.result());
            }
            // the callbacks ran (once) on the loop: wait one more round trip
            onLoop(() -> null);
            onLoop(() -> null);
            assertEquals(1, callbacks.get());
            assertEquals(0, callbackOffLoop.get());
        }
        assertTrue(cancelledCount >= 0);
    }

    @Test
    void cancelWithMessageFromAnotherThread_reachesTheAwaiter() throws Exception {
        Promise<String> p = onLoop(() -> loop.createPromise());
        CompletableFuture<String> seen = Coro.runCoroutineThreadsafe(awaitMessage(p), loop);
        onLoop(() -> null);
        assertTrue(p.cancel("shutting down"));
        assertEquals("shutting down", seen.get(10, TimeUnit.SECONDS));
        CancelledError e = assertThrows(CancelledError.class, p::result);
        assertEquals("shutting down", e.getMessage());
        assertSame(null, p.isCancelled() ? null : "not cancelled");
    }

    @Async
    static Coroutine<String> awaitMessage(Promise<String> p) {
        try {
            await(p);
            return done("no");
        } catch (CancelledError e) {
            return done(e.getMessage());
        }
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            try {
                f.complete(action.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }
}
