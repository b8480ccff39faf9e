package dev.coro.threads;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.shield;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.timeout;
import static dev.coro.Coro.waitFor;
import static dev.coro.Coro.waitUntil;
import static dev.coro.Coro.wrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.ReturnWhen;
import dev.coro.Task;
import dev.coro.TimeoutException;
import dev.coro.WaitResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Java futures awaited, wrapped and cancelled: asyncio's wrap_future, on a virtual clock. */
class JavaFuturesTest {

    /** A future that records how it was cancelled. */
    static final class Recording<T> extends CompletableFuture<T> {
        volatile Boolean interrupt;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            interrupt = mayInterruptIfRunning;
            return super.cancel(mayInterruptIfRunning);
        }
    }

    @Async
    static Coroutine<String> awaitIt(CompletableFuture<String> f) {
        return done(await(f));
    }

    @Test
    void awaitingTaskCancelled_cancelsTheFutureWithInterrupt() {
        Recording<String> f = new Recording<>();
        TimeoutException e = assertThrows(TimeoutException.class,
                () -> Coro.run(waitFor(awaitIt(f), Duration.ofSeconds(3)), EventLoop.virtualTime()));
        assertInstanceOf(CancelledError.class, e.getCause());
        assertTrue(f.isCancelled(), "the request behind the future is aborted");
        assertEquals(Boolean.TRUE, f.interrupt, "cancel(true), as asyncio's wrap_future");
    }

    @Async
    static Coroutine<String> catchChecked(CompletableFuture<String> f) {
        try {
            return done(await(f, IOException.class));
        } catch (IOException e) {
            return done("caught " + e.getMessage());
        }
    }

    @Test
    void awaitWithCheckedExceptionType_catchesItByType() {
        CompletableFuture<String> failed = new CompletableFuture<>();
        failed.completeExceptionally(new IOException("refused"));
        assertEquals("caught refused", Coro.run(catchChecked(failed), EventLoop.virtualTime()));
        CompletableFuture<String> later = new CompletableFuture<>();
        new Thread(() -> later.completeExceptionally(new IOException("later"))).start();
        assertEquals("caught later", Coro.run(catchChecked(later), EventLoop.virtualTime()));
        assertEquals("caught ok", Coro.run(catchChecked(CompletableFuture.completedFuture("caught ok")),
                EventLoop.virtualTime()));
    }

    @Async
    static Coroutine<List<Object>> gatherWrapped(CompletableFuture<String> a, CompletableFuture<Integer> b) {
        return done(await(gather(wrap(a), wrap(b))));
    }

    @Test
    void wrappedFutures_goIntoGather() {
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> "a");
        CompletableFuture<Integer> b = new CompletableFuture<>();
        new Thread(() -> b.complete(2)).start();
        assertEquals(List.of("a", 2), Coro.run(gatherWrapped(a, b), EventLoop.virtualTime()));
    }

    @Async
    static Coroutine<String> firstOfTwo(CompletableFuture<String> slow, CompletableFuture<String> fast) {
        Promise<String> s = wrap(slow);
        Promise<String> f = wrap(fast);
        WaitResult<Promise<String>> r = await(waitUntil(ReturnWhen.FIRST_COMPLETED, List.of(s, f), null));
        assertTrue(r.pending().contains(s));
        s.cancel();
        await(sleep(Duration.ZERO)); // the cancel link runs as a done callback
        return done(r.done().iterator().next().result());
    }

    @Test
    void wrappedFutures_goIntoWaitUntil_andCancellingThePromiseCancelsTheFuture() {
        Recording<String> slow = new Recording<>();
        CompletableFuture<String> fast = new CompletableFuture<>();
        new Thread(() -> fast.complete("fast")).start();
        assertEquals("fast", Coro.run(firstOfTwo(slow, fast), EventLoop.virtualTime()));
        assertTrue(slow.isCancelled());
        assertEquals(Boolean.TRUE, slow.interrupt);
    }

    @Async
    static Coroutine<Void> cancelledElsewhere(CompletableFuture<String> f, List<String> out) {
        Promise<String> p = wrap(f);
        new Thread(() -> f.cancel(false)).start();
        try {
            await(p);
        } catch (CancelledError e) {
            out.add("promise cancelled: " + p.isCancelled());
        }
        return done();
    }

    @Test
    void futureCancelledOnAnotherThread_cancelsThePromise() {
        List<String> out = new ArrayList<>();
        Coro.run(cancelledElsewhere(new CompletableFuture<>(), out), EventLoop.virtualTime());
        assertEquals(List.of("promise cancelled: true"), out);
    }

    @Async
    static Coroutine<String> shielded(CompletableFuture<String> f, List<String> out) {
        Task<String> inner = spawn(shieldOnce(f));
        await(sleep(Duration.ofSeconds(1)));
        inner.cancel();
        try {
            await(inner);
        } catch (CancelledError e) {
            out.add("awaiter cancelled");
        }
        assertFalse(f.isDone(), "the shield kept the future alive");
        f.complete("done anyway");
        return done("ok");
    }

    @Async
    static Coroutine<String> shieldOnce(CompletableFuture<String> f) {
        return done(await(shield(wrap(f))));
    }

    @Test
    void shieldedWrappedFuture_survivesTheAwaitersCancellation() {
        List<String> out = new ArrayList<>();
        CompletableFuture<String> f = new CompletableFuture<>();
        assertEquals("ok", Coro.run(shielded(f, out), EventLoop.virtualTime()));
        assertEquals(List.of("awaiter cancelled"), out);
        assertEquals("done anyway", f.join());
    }

    @Test
    void futureTaskIsCancelledWithInterrupt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<String> how = new AtomicReference<>();
        FutureTask<String> job = new FutureTask<>(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return "slept";
            } catch (InterruptedException e) {
                how.set("interrupted");
                throw e;
            }
        });
        CompletableFuture<String> stage = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                job.cancel(mayInterruptIfRunning);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        Thread worker = new Thread(job);
        worker.start();
        started.await();
        assertThrows(TimeoutException.class,
                () -> Coro.run(waitFor(awaitIt(stage), Duration.ofMillis(50)), EventLoop.create()));
        worker.join(10_000);
        assertEquals("interrupted", how.get());
    }

    // ---------------------------------------------------------------- the timeout semantic point

    @Async
    static Coroutine<Void> failsInFinallyAfterDeadline() {
        await(timeout(Duration.ofSeconds(1), t -> cleanupFails()));
        return done();
    }

    @Async
    static Coroutine<Void> cleanupFails() {
        try {
            await(sleep(Duration.ofSeconds(10)));
        } catch (CancelledError e) {
            throw new IllegalStateException("cleanup failed", e);
        }
        return done();
    }

    @Test
    void exceptionEndingAnExpiredTimeoutBlock_carriesATimeoutException() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Coro.run(failsInFinallyAfterDeadline(), EventLoop.virtualTime()));
        assertEquals("cleanup failed", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        TimeoutException te = assertInstanceOf(TimeoutException.class, e.getSuppressed()[0]);
        assertSame(e.getCause(), te.getCause(), "linked to the cancellation the deadline caused");
    }

    @Async
    static Coroutine<Void> failsBeforeDeadline() {
        await(timeout(Duration.ofSeconds(10), t -> failSoon()));
        return done();
    }

    @Async
    static Coroutine<Void> failSoon() {
        await(sleep(Duration.ofSeconds(1)));
        throw new IllegalStateException("plain failure");
    }

    @Test
    void exceptionBeforeTheDeadline_isLeftAlone() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Coro.run(failsBeforeDeadline(), EventLoop.virtualTime()));
        assertEquals(0, e.getSuppressed().length);
        assertNull(e.getCause());
    }

    // ---------------------------------------------------------------- default executor

    @Async
    static Coroutine<String> threadName() {
        return done(await(Coro.toThread(() -> Thread.currentThread().getName())));
    }

    @Test
    void setDefaultExecutor_runsToThreadThere() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-worker"));
        EventLoop loop = EventLoop.virtualTime();
        loop.setDefaultExecutor(mine);
        assertEquals("my-worker", Coro.run(threadName(), loop));
        assertTrue(mine.awaitTermination(5, TimeUnit.SECONDS), "Coro.run shut the loop's executor down");
        assertThrows(NullPointerException.class, () -> EventLoop.create().setDefaultExecutor(null));
    }
}
