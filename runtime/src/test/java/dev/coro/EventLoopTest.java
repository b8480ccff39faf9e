package dev.coro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.testing.Script;
import dev.coro.testing.TestBase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventLoopTest extends TestBase {
    private static Duration sec(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** Scenario 39, with FIFO order for identical deadlines (a deliberate difference). */
    @Test
    void timersRunAfterReadyCallbacksInDeadlineThenRegistrationOrder() {
        List<String> lines = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    EventLoop loop = Coro.loop();
                    loop.callLater(sec(0.03), () -> out.add("later-0.03"));
                    loop.callLater(sec(0.01), () -> out.add("later-0.01"));
                    loop.callLater(sec(0.02), () -> out.add("later-0.02"));
                    Handle h = loop.callLater(sec(0.015), () -> out.add("cancelled-handle"));
                    loop.callSoon(() -> out.add("soon-1"));
                    loop.callLater(sec(0), () -> out.add("later-0"));
                    loop.callLater(sec(-1), () -> out.add("later-negative"));
                    loop.callSoon(() -> out.add("soon-2"));
                    h.cancel();
                    assertTrue(h.isCancelled());
                    return Coro.sleep(sec(0.05));
                },
                in -> {
                    lines.add("mixed: " + String.join(" ", out.stream().map(String::valueOf).toList()));
                    out.clear();
                    EventLoop loop = Coro.loop();
                    double when = loop.time() + 0.01;
                    for (int i = 0; i < 10; i++) {
                        int j = i;
                        loop.callAt(when, () -> out.add(j));
                    }
                    return Coro.sleep(sec(0.05));
                },
                in -> {
                    lines.add("identical deadline: " + out);
                    out.clear();
                    EventLoop loop = Coro.loop();
                    double when = loop.time() + 0.01;
                    loop.callAt(when, () -> {
                        out.add("timer A");
                        loop.callSoon(() -> out.add("first (call_soon from timer A)"));
                    });
                    loop.callAt(when, () -> out.add("timer B"));
                    return Coro.sleep(sec(0.05));
                },
                in -> {
                    lines.add("timer then call_soon: " + String.join(" | ", out.stream().map(String::valueOf).toList()));
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        assertEquals(List.of(
                "mixed: soon-1 soon-2 later-negative later-0 later-0.01 later-0.02 later-0.03",
                "identical deadline: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]",
                "timer then call_soon: timer A | timer B | first (call_soon from timer A)"), lines);
    }

    @Test
    void virtualClockStartsAtZeroAndJumps() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            assertEquals(0.0, loop.time());
            assertTrue(loop.isVirtualTime());
            Handle h = loop.callLater(Duration.ofMinutes(10), () -> {
                expect(1);
                loop.stop();
            });
            assertEquals(600.0, h.when());
            loop.runForever();
            assertEquals(600.0, loop.time());
            finish(2);
        }
    }

    @Test
    void stopBeforeRunForeverRunsOneIteration() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            loop.callSoon(() -> {
                expect(1);
                loop.callSoon(() -> expect(3));
            });
            loop.stop();
            loop.runForever();
            expect(2);
            assertFalse(loop.isRunning());
            loop.stop();
            loop.runForever();
            finish(4);
        }
    }

    @Test
    void handleOfCallSoonHasNoDeadline() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Handle h = loop.callSoon(() -> expectUnreached());
            h.cancel();
            assertFalse(h.isTimer());
            assertThrows(IllegalStateException.class, h::when);
            loop.stop();
            loop.runForever();
        }
    }

    @Test
    void realClockLoopRunsTimers() {
        try (EventLoop loop = EventLoop.create()) {
            double start = loop.time();
            loop.runUntilComplete(Coro.sleep(Duration.ofMillis(20)));
            assertTrue(loop.time() - start >= 0.019, "slept " + (loop.time() - start));
        }
    }

    @Test
    void runInExecutorDeliversResultAndException() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (EventLoop loop = EventLoop.virtualTime()) {
            assertEquals(5, loop.runUntilComplete(loop.runInExecutor(pool, () -> 2 + 3)));
            IOException io = new IOException("disk on fire");
            Promise<Object> failed = loop.runInExecutor(null, () -> {
                throw io;
            });
            assertSame(io, assertThrows(IOException.class, () -> loop.runUntilComplete(failed)));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void toThreadCopiesContextVarsRunInExecutorDoesNot() {
        ContextVar<String> var = new ContextVar<>("var", "unset");
        List<Object> seen = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    var.set("main-value");
                    return Coro.toThread(var::get);
                },
                in -> {
                    seen.add(in.get());
                    return Coro.loop().runInExecutor(null, var::get);
                },
                in -> {
                    seen.add(in.get());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        assertEquals(List.of("main-value", "unset"), seen);
    }

    @Test
    void cancellingTheAwaiterDoesNotStopARunningThread() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<String> ran = new AtomicReference<>();
        Task<?>[] t = new Task<?>[1];
        Coro.run(Script.of(
                in -> {
                    t[0] = Coro.spawn(Script.of(x -> Coro.toThread(() -> {
                        started.countDown();
                        go.await();
                        ran.set("ran to completion");
                        return "ignored";
                    })));
                    return Coro.toThread(() -> {
                        started.await();
                        return null;
                    });
                },
                in -> {
                    t[0].cancel();
                    return Coro.gatherReturnExceptions(t[0]);
                },
                in -> {
                    assertTrue(t[0].isCancelled());
                    go.countDown();
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        // Coro.run waited for the default executor: the job finished.
        assertEquals("ran to completion", ran.get());
    }

    @Test
    void runLeavesNoTaskBehindAndReportsShutdownErrors() {
        List<Object> messages = new ArrayList<>();
        EventLoop loop = EventLoop.virtualTime();
        loop.setExceptionHandler((l, c) -> messages.add(c.get("message")));
        Task<?>[] bg = new Task<?>[2];
        Coro.run(Script.of(in -> {
            bg[0] = Coro.spawn(Coro.sleep(Duration.ofHours(1)));
            bg[1] = Coro.spawn(Script.of(Script.catching(x -> Coro.sleep(Duration.ofHours(1))), Script.catching(x -> {
                throw new IllegalStateException("error during shutdown");
            })));
            return Coro.sleep(Duration.ZERO);
        }), loop);
        assertTrue(bg[0].isCancelled());
        assertTrue(bg[1].exception() instanceof IllegalStateException);
        assertEquals(List.of("unhandled exception during Coro.run() shutdown"), messages);
        assertTrue(loop.isClosed());
    }

    @Test
    void loopIsAlreadyRunningErrors() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Object e = loop.runUntilComplete(Script.of(in -> {
                try {
                    loop.runForever();
                    return Script.ret(null);
                } catch (IllegalStateException x) {
                    return Script.ret(x);
                }
            }));
            assertTrue(((Throwable) e).getMessage().contains("already running"));
            Object close = loop.runUntilComplete(Script.of(in -> {
                try {
                    loop.close();
                    return Script.ret(null);
                } catch (IllegalStateException x) {
                    return Script.ret(x);
                }
            }));
            assertTrue(((Throwable) close).getMessage().contains("Cannot close a running event loop"));
        }
    }

    @Test
    void aCustomWakerOwnsBlockingAndWakeups() throws Exception {
        List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        EventLoop loop = EventLoop.withWaker(false, owner -> {
            dev.coro.internal.ParkWaker park = new dev.coro.internal.ParkWaker(owner);
            return new dev.coro.internal.Waker() {
                @Override
                public void block(long timeoutNanos) {
                    calls.add(timeoutNanos < 0 ? "block-forever" : "block");
                    park.block(timeoutNanos);
                }

                @Override
                public void wakeup() {
                    calls.add("wakeup");
                    park.wakeup();
                }
            };
        });
        Promise<String> p = loop.createPromise();
        loop.callSoon(() -> new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            p.setResult("woken");
        }).start());
        assertEquals("woken", loop.runUntilComplete(p));
        loop.close();
        assertTrue(calls.contains("block-forever"), calls.toString());
        assertTrue(calls.contains("wakeup"), calls.toString());
    }

    @Test
    void debugModeRefusesLoopConfinedCallsFromOtherThreads() throws Exception {
        try (EventLoop loop = EventLoop.create()) {
            loop.setDebug(true);
            assertTrue(loop.isDebug());
            AtomicReference<Throwable> error = new AtomicReference<>();
            Promise<Void> done = loop.createPromise();
            loop.callSoon(() -> {
                Thread other = new Thread(() -> {
                    try {
                        loop.callSoon(() -> { });
                    } catch (Throwable e) {
                        error.set(e);
                    }
                    done.setResult(null);
                });
                other.start();
            });
            loop.runUntilComplete(done);
            assertTrue(error.get() instanceof IllegalStateException || error.get() instanceof AssertionError,
                    String.valueOf(error.get()));
            assertTrue(error.get().getMessage().contains("callSoonThreadsafe"), error.get().getMessage());
        }
    }
}
