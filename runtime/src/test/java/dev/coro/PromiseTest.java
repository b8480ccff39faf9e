package dev.coro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.testing.TestBase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PromiseTest extends TestBase {

    @Test
    void doneCallbacksAreScheduledInRegistrationOrderNeverInPlace() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            p.addDoneCallback(x -> expect(3));
            p.addDoneCallback(x -> expect(4));
            loop.callSoon(() -> {
                expect(1);
                p.setResult("v");
                expect(2);
            });
            p.addDoneCallback(x -> {
                expect(5);
                x.addDoneCallback(y -> {
                    expect(7); // added to a done promise: scheduled, not run in place
                    loop.stop();
                });
                expect(6);
            });
            loop.runForever();
            finish(8);
        }
    }

    @Test
    void removeDoneCallbackReturnsHowManyWereRemoved() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            Consumer<Promise<String>> a = x -> expectUnreached();
            Consumer<Promise<String>> b = x -> expect(1);
            p.addDoneCallback(a);
            p.addDoneCallback(b);
            p.addDoneCallback(a);
            assertEquals(2, p.removeDoneCallback(a));
            assertEquals(0, p.removeDoneCallback(a));
            p.setResult("x");
            assertEquals("x", loop.runUntilComplete(p));
            loop.runUntilComplete(loop.spawn(Coro.sleep(java.time.Duration.ZERO)));
            finish(2);
        }
    }

    @Test
    void statesAndErrors() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            assertFalse(p.isDone());
            IllegalStateException e = assertThrows(IllegalStateException.class, p::result);
            assertTrue(e.getMessage().contains("still pending"), e.getMessage());
            assertThrows(IllegalStateException.class, p::exception);
            p.setResult("a");
            assertThrows(IllegalStateException.class, () -> p.setResult("b"));
            assertThrows(IllegalStateException.class, () -> p.setException(new RuntimeException()));
            assertFalse(p.cancel());
            assertEquals("a", p.result());
            assertNull(p.exception());

            Promise<String> failed = loop.createPromise();
            IOException io = new IOException("io");
            failed.setException(io);
            assertSame(io, failed.exception());
            assertSame(io, assertThrows(IOException.class, failed::result));
            assertThrows(NullPointerException.class, () -> loop.createPromise().setException(null));
        }
    }

    @Test
    void cancelMessageIsDeliveredThenFreshErrors() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            assertTrue(p.cancel("why"));
            assertTrue(p.isCancelled());
            assertFalse(p.cancel("again"));
            CancelledError first = assertThrows(CancelledError.class, p::result);
            CancelledError second = assertThrows(CancelledError.class, p::exception);
            assertEquals("why", first.getMessage());
            assertEquals("why", second.getMessage());
            assertNotSame(first, second);
        }
    }

    @Test
    void toCompletableFutureFollowsThePromise() throws Exception {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            CompletableFuture<String> f = p.toCompletableFuture();
            loop.callSoon(() -> p.setResult("ok"));
            loop.runUntilComplete(p);
            assertEquals("ok", f.get());

            Promise<String> failed = loop.createPromise();
            IOException io = new IOException("x");
            failed.setException(io);
            ExecutionException e = assertThrows(ExecutionException.class, () -> failed.toCompletableFuture().get());
            assertSame(io, e.getCause());

            Promise<String> pending = loop.createPromise();
            pending.toCompletableFuture().cancel(false);
            assertTrue(pending.isCancelled());
        }
    }

    @Test
    void completionFromAnotherThreadHopsToTheLoop() {
        try (EventLoop loop = EventLoop.create()) {
            Promise<Thread> p = loop.createPromise();
            Thread[] seen = new Thread[2];
            p.addDoneCallback(x -> seen[0] = Thread.currentThread());
            loop.callSoon(() -> new Thread(() -> p.setResult(Thread.currentThread())).start());
            Thread worker = loop.runUntilComplete(p);
            assertNotSame(Thread.currentThread(), worker);
            loop.runUntilComplete(loop.spawn(Coro.sleep(java.time.Duration.ZERO)));
            assertSame(Thread.currentThread(), seen[0]);
        }
    }

    @Test
    void unretrievedFailureIsReportedAtCloseButRetrievedOneIsNot() {
        List<Map<String, Object>> reports = new ArrayList<>();
        EventLoop loop = EventLoop.virtualTime();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        Promise<String> lost = loop.createPromise();
        Promise<String> seen = loop.createPromise();
        RuntimeException a = new RuntimeException("lost");
        lost.setException(a);
        seen.setException(new RuntimeException("seen"));
        seen.exception();
        loop.close();
        assertEquals(1, reports.size());
        assertEquals("Promise exception was never retrieved", reports.get(0).get("message"));
        assertSame(a, reports.get(0).get("exception"));
    }

    @Test
    void unretrievedTaskFailureIsReportedWhenCollected() {
        List<Map<String, Object>> reports = new ArrayList<>();
        try (EventLoop loop = EventLoop.virtualTime()) {
            loop.setExceptionHandler((l, c) -> reports.add(c));
            loop.spawn(dev.coro.testing.Script.of(in -> {
                throw new IllegalStateException("nobody reads me");
            }));
            loop.runUntilComplete(loop.spawn(Coro.sleep(java.time.Duration.ofMillis(1))));
            loop.collectGarbageForTests();
            assertEquals(1, reports.size(), reports.toString());
            assertEquals("Task exception was never retrieved", reports.get(0).get("message"));
        }
        assertEquals(1, reports.size(), "not reported twice at close");
    }
}
