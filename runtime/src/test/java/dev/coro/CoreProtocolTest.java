package dev.coro;

import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import dev.coro.testing.TestBase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CoreProtocolTest extends TestBase {

    @Test
    void spawnRunsFirstStepOneIterationLater() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Frame<String> main = Script.of(
                    in -> {
                        expect(1);
                        Task<Object> t = Coro.spawn(Script.of(x -> {
                            expect(3);
                            return Script.ret("child");
                        }));
                        expect(2);
                        return t;
                    },
                    in -> {
                        expect(4);
                        return Script.ret("main got " + in.get());
                    });
            assertEquals("main got child", loop.runUntilComplete(main));
            finish(5);
        }
    }

    @Test
    void sleepAdvancesVirtualTimeWithoutSleeping() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            long started = System.nanoTime();
            Frame<Double> main = Script.of(
                    in -> sleep(Duration.ofHours(1)),
                    in -> Script.ret(loop.time()));
            assertEquals(3600.0, loop.runUntilComplete(main));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos());
        }
    }

    @Test
    void awaitOfPromisesOfAnotherLoop_doneGivesTheOutcome_pendingIsAnError() {
        try (EventLoop other = EventLoop.virtualTime(); EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> done = other.createPromise();
            Promise<String> failed = other.createPromise();
            Promise<String> pending = other.createPromise();
            other.runUntilComplete(Script.of(in -> {
                done.setResult("from the other loop");
                failed.setException(new IOException("failed on the other loop"));
                return Script.ret(null);
            }));
            List<String> seen = new ArrayList<>();
            Frame<String> main = Script.of(
                    in -> done,
                    Script.catching(in -> {
                        seen.add(String.valueOf(in.get()));
                        return failed;
                    }),
                    Script.catching(in -> {
                        seen.add(in.error().getMessage());
                        return pending;
                    }),
                    Script.catching(in -> {
                        seen.add(in.error().getMessage().replaceAll(".* which ", "which "));
                        return Script.ret(String.join(" | ", seen));
                    }));
            assertEquals("from the other loop | failed on the other loop | which belongs to another event loop",
                    loop.runUntilComplete(main));
        }
    }

    @Test
    void awaitOfAPromiseCompletedFromAnotherThread_givesTheValue() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            Promise<String> promise = loop.createPromise();
            Thread completer = new Thread(() -> promise.setResult("from a thread"));
            Frame<String> main = Script.of(
                    in -> {
                        completer.start(); // setResult hops to the loop thread
                        return promise;
                    },
                    in -> promise, // done now: the fast path
                    in -> Script.ret(in.get() + ", again: " + promise.result()));
            assertEquals("from a thread, again: from a thread", loop.runUntilComplete(main));
            completer.join(10_000);
        }
    }

    @Test
    void awaitDoneAwaitablesReturnsAtOnce() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            p.setResult("v");
            Frame<Object> main = Script.of(
                    in -> p,
                    in -> {
                        assertEquals("v", in.get());
                        return done(7);
                    },
                    in -> {
                        assertEquals(7, in.get());
                        return Script.ret("ok");
                    });
            assertEquals("ok", loop.runUntilComplete(main));
        }
    }

    @Test
    void exceptionOfAwaitedTaskIsTheSameObject() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            IOException boom = new IOException("boom");
            Frame<Object> main = Script.of(
                    in -> Coro.spawn(Script.of(x -> {
                        throw boom;
                    })),
                    Script.catching(in -> Script.ret(in.error())));
            assertSame(boom, loop.runUntilComplete(main));
        }
    }

    @Test
    void checkedExceptionFromRunIsUnchanged() {
        IOException boom = new IOException("boom");
        Throwable thrown = assertThrows(IOException.class, () -> Coro.run(Script.of(in -> {
            throw boom;
        }), EventLoop.virtualTime()));
        assertSame(boom, thrown);
    }

    @Test
    void millionNestedAwaitsDoNotOverflow() {
        int depth = 1_000_000;
        try (EventLoop loop = EventLoop.virtualTime()) {
            assertEquals(depth, (int) loop.runUntilComplete(nested(depth)));
        }
    }

    /** A chain: nested(n) awaits nested(n - 1) and adds 1; the innermost sleeps once. */
    private static Frame<Integer> nested(int n) {
        return new Frame<>(f -> {
            Object r;
            switch (f.state) {
                case 0:
                    r = Frame.await(n == 0 ? sleep(Duration.ZERO) : nested(n - 1), f);
                    if (r == Frame.SUSPENDED) {
                        f.state = 1;
                        return Frame.SUSPENDED;
                    }
                    break;
                case 1:
                    r = f.resumeValue();
                    break;
                default:
                    throw new IllegalStateException();
            }
            return n == 0 ? 0 : (Integer) r + 1;
        }, 0, 0);
    }

    @Test
    void millionNestedAwaitsPropagateAnException() {
        int depth = 1_000_000;
        IllegalStateException boom = new IllegalStateException("deep");
        try (EventLoop loop = EventLoop.virtualTime()) {
            Frame<Object> chain = throwingChain(depth, boom);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(chain)));
        }
    }

    private static Frame<Object> throwingChain(int n, RuntimeException boom) {
        return new Frame<>(f -> {
            if (f.state == 0) {
                if (n == 0) {
                    throw boom;
                }
                Object r = Frame.await(throwingChain(n - 1, boom), f);
                if (r == Frame.SUSPENDED) {
                    f.state = 1;
                    return Frame.SUSPENDED;
                }
                return r;
            }
            return f.resumeValue();
        }, 0, 0);
    }

    @Test
    void cancelBeforeStartRunsNoLine() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Frame<Object> main = Script.of(
                    in -> {
                        expect(1);
                        Task<Object> t = Coro.spawn(Script.of(x -> {
                            expectUnreached();
                            return null;
                        }));
                        assertTrue(t.cancel("early"));
                        assertFalse(t.isCancelled());
                        assertEquals(1, t.cancelling());
                        return t;
                    },
                    Script.catching(in -> {
                        expect(2);
                        assertTrue(in.error() instanceof CancelledError);
                        assertEquals("early", in.error().getMessage());
                        return Script.ret("done");
                    }));
            assertEquals("done", loop.runUntilComplete(main));
            finish(3);
        }
    }

    @Test
    void coroutineAwaitedTwiceIsRefused() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Frame<Object> once = Script.of(in -> Script.ret(1));
            Frame<Object> main = Script.of(
                    in -> once,
                    in -> once,
                    Script.catching(in -> Script.ret(in.error())));
            Object error = loop.runUntilComplete(main);
            assertTrue(error instanceof IllegalStateException, String.valueOf(error));
            assertTrue(((Throwable) error).getMessage().contains("already awaited or spawned"));
            Frame<Object> spawned = Script.of(in -> Script.ret(1));
            loop.spawn(spawned);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.spawn(spawned));
            assertTrue(e.getMessage().contains("already awaited or spawned"), e.getMessage());
        }
    }

    @Test
    void awaitPlaceholderThrowsWithCallerName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Coro.await(Coro.done(1)));
        assertTrue(e.getMessage().contains("CoreProtocolTest"), e.getMessage());
        assertTrue(e.getMessage().contains("not rewritten"), e.getMessage());
        assertTrue(e.getMessage().contains("coro-maven-plugin"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Coro.await(new CompletableFuture<String>()));
        assertThrows(IllegalStateException.class, () -> Coro.await(Coro.done(1), IOException.class));
    }

    @Test
    void returnValueUnwrapsDoneOnly() {
        assertEquals(5, Frame.returnValue(Coro.done(5)));
        assertNull(Frame.returnValue(Coro.done()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Frame.returnValue(Script.of(in -> 1)));
        assertTrue(e.getMessage().contains("return done(await(x))"), e.getMessage());
    }

    @Test
    void awaitStageCompletedOnAnotherThreadResumesOnLoopThread() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            CompletableFuture<String> future = new CompletableFuture<>();
            Thread[] loopThread = new Thread[1];
            Frame<Object> main = new Frame<>(f -> {
                Object r;
                if (f.state == 0) {
                    loopThread[0] = Thread.currentThread();
                    new Thread(() -> future.complete("from thread")).start();
                    r = Frame.awaitStage(future, f);
                    if (r == Frame.SUSPENDED) {
                        f.state = 1;
                        return Frame.SUSPENDED;
                    }
                } else {
                    r = f.resumeValue();
                }
                assertSame(loopThread[0], Thread.currentThread());
                return r;
            }, 0, 0);
            assertEquals("from thread", loop.runUntilComplete(main));
        }
    }

    @Test
    void awaitStageUnwrapsFailure() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            IOException boom = new IOException("io");
            CompletableFuture<String> failed = CompletableFuture.failedFuture(boom);
            Frame<Object> main = new Frame<>(f -> {
                try {
                    return Frame.awaitStage(failed, f);
                } catch (IOException e) {
                    return e;
                }
            }, 0, 0);
            assertSame(boom, loop.runUntilComplete(main));
        }
    }

    @Test
    void loopOutsideRunningLoopThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Coro::loop);
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @Test
    void closedLoopRefusesWork() {
        EventLoop loop = EventLoop.virtualTime();
        loop.close();
        assertTrue(loop.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
        assertTrue(e.getMessage().contains("Event loop is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, loop::runForever);
        assertThrows(IllegalStateException.class, () -> loop.spawn(Script.of(in -> 1)));
    }

    @Test
    void nestedLoopStartIsRefused() {
        try (EventLoop outer = EventLoop.virtualTime(); EventLoop inner = EventLoop.virtualTime()) {
            Object error = outer.runUntilComplete(Script.of(in -> {
                try {
                    inner.runUntilComplete(Script.of(x -> 1));
                    return Script.ret(null);
                } catch (IllegalStateException e) {
                    return Script.ret(e);
                }
            }));
            assertTrue(error instanceof IllegalStateException);
            assertTrue(((Throwable) error).getMessage().contains("another loop is running"));
            Object again = outer.runUntilComplete(Script.of(in -> {
                try {
                    Coro.run(Script.of(x -> 1));
                    return Script.ret(null);
                } catch (IllegalStateException e) {
                    return Script.ret(e);
                }
            }));
            assertTrue(((Throwable) again).getMessage().contains("cannot be called from a running event loop"));
        }
    }

    @Test
    void throwingCallbackReachesHandlerAndLoopGoesOn() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> errors.add(context));
            RuntimeException boom = new RuntimeException("bad callback");
            loop.callSoon(() -> {
                expect(1);
                throw boom;
            });
            loop.callSoon(() -> {
                expect(2);
                loop.stop();
            });
            loop.runForever();
            assertEquals(1, errors.size());
            assertSame(boom, errors.get(0).get("exception"));
            assertTrue(((String) errors.get(0).get("message")).startsWith("Exception in callback"));
            finish(3);
        }
    }

    @Test
    void taskRefusesSetResult() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Task<Object> t = loop.spawn(Script.of(in -> 1));
            assertThrows(IllegalStateException.class, () -> t.setResult(2));
            assertThrows(IllegalStateException.class, () -> t.setException(new RuntimeException()));
            assertEquals(1, loop.runUntilComplete(t));
        }
    }

    @Test
    void awaitOfDoneAwaitablesAllocatesNothing() {
        java.util.function.LongSupplier allocatedBytes = allocationCounter();
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<Integer> p = loop.createPromise();
            p.setResult(1);
            Coroutine<Integer> d = Coro.done(2);
            int n = 200_000;
            long[] allocated = new long[1];
            Frame<Object> main = new Frame<>(f -> {
                long sum = 0;
                for (int round = 0; round < 2; round++) { // round 0 warms up
                    long before = allocatedBytes.getAsLong();
                    for (int i = 0; i < n; i++) {
                        sum += (Integer) Frame.await(p, f);
                        sum += (Integer) Frame.await(d, f);
                    }
                    allocated[0] = allocatedBytes.getAsLong() - before;
                }
                return sum;
            }, 0, 0);
            assertEquals(2L * n * 3, loop.runUntilComplete(main));
            // The counter itself (reflection, boxing of its result) allocates a few hundred bytes.
            assertTrue(allocated[0] < 4096, "allocated " + allocated[0] + " bytes for " + 2 * n + " awaits");
        }
    }

    /** The calling thread's allocated-bytes counter (skips the test when the JVM has none). */
    private static java.util.function.LongSupplier allocationCounter() {
        // Reflection: the test sources compile inside module dev.coro, which does not read java.management.
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            java.lang.reflect.Method m = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getThreadAllocatedBytes", long.class);
            return () -> {
                try {
                    return (Long) m.invoke(mx, Thread.currentThread().getId());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            };
        } catch (ReflectiveOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no allocation counter: " + e);
            throw new AssertionError(e);
        }
    }

    @Test
    void suspendAndResumeThroughTheLoopAllocatesNothing() {
        java.util.function.LongSupplier allocatedBytes = allocationCounter();
        int tasks = 100;
        int switches = 2_000;
        long[] marks = new long[2];
        try (EventLoop loop = EventLoop.virtualTime()) {
            // Warm up, then measure a second identical run on the same loop (its queues are grown).
            for (int run = 0; run < 2; run++) {
                List<Task<Object>> all = new ArrayList<>();
                for (int t = 0; t < tasks; t++) {
                    all.add(loop.spawn(new Frame<>(f -> {
                        int i = Frame.getInt(f, 0);
                        if (f.state == 1) {
                            f.resumeValue();
                            i++;
                        }
                        while (i < switches) {
                            if (i == 10) {
                                marks[0] = marks[0] == 0 ? allocatedBytes.getAsLong() : marks[0];
                            }
                            Object r = Frame.await(sleep(Duration.ZERO), f);
                            if (r == Frame.SUSPENDED) {
                                Frame.putInt(i, f, 0);
                                f.state = 1;
                                return Frame.SUSPENDED;
                            }
                            i++;
                        }
                        if (marks[1] == 0) {
                            marks[1] = allocatedBytes.getAsLong();
                        }
                        return null;
                    }, 0, 1)));
                }
                loop.runUntilComplete(Coro.gather(all));
                if (run == 0) {
                    marks[0] = 0;
                    marks[1] = 0;
                }
            }
        }
        long perSwitch = (marks[1] - marks[0]) / ((long) tasks * (switches - 10));
        assertEquals(0, perSwitch, "bytes allocated per task switch: " + (marks[1] - marks[0]));
    }
}
