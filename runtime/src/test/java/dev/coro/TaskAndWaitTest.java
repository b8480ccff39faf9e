package dev.coro;

import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import dev.coro.testing.TestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskAndWaitTest extends TestBase {
    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    private static Frame<Object> after(long millis, Object value) {
        return Script.of(in -> sleep(ms(millis)), in -> {
            if (value instanceof RuntimeException) {
                throw (RuntimeException) value;
            }
            return Script.ret(value);
        });
    }

    @Test
    void namesCurrentTaskAndAllTasks() {
        Coro.run(Script.of(
                in -> {
                    Task<?> me = Coro.currentTask();
                    assertEquals("Task-1", me.getName());
                    Task<Object> a = spawn(after(10, "a"));
                    Task<Object> b = spawn(after(10, "b"), "worker-b");
                    assertEquals("Task-2", a.getName());
                    assertEquals("worker-b", b.getName());
                    b.setName("renamed");
                    assertEquals("renamed", b.getName());
                    assertEquals(List.of(me, a, b), new ArrayList<>(Coro.allTasks()));
                    assertTrue(a.toString().contains("Task-2"));
                    return Coro.gather(a, b);
                },
                in -> {
                    assertEquals(Set.of(Coro.currentTask()), Coro.allTasks());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
    }

    @Test
    void currentTaskIsNullInAPlainCallback() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            loop.callSoon(() -> {
                assertNull(Coro.currentTask());
                expect(1);
                loop.stop();
            });
            loop.runForever();
            finish(2);
        }
    }

    @Test
    void uncancelFloorsAtZeroAndDropsAPendingCancel() {
        Coro.run(Script.of(
                in -> {
                    Task<Object> t = spawn(after(10, "value"));
                    t.cancel();
                    t.cancel();
                    assertEquals(2, t.cancelling());
                    assertEquals(1, t.uncancel());
                    assertEquals(0, t.uncancel());
                    assertEquals(0, t.uncancel());
                    // No cancel request is left: the task was never started and runs normally.
                    return t;
                },
                in -> {
                    assertEquals("value", in.get());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
    }

    @Test
    void swallowedCancelLeavesTaskNotCancelledAndCountingOne() {
        Task<?>[] t = new Task<?>[1];
        Coro.run(Script.of(
                in -> {
                    t[0] = spawn(Script.of(Script.catching(x -> sleep(ms(100))), Script.catching(x -> {
                        assertTrue(x.error() instanceof CancelledError);
                        return Script.ret("swallowed");
                    })));
                    return sleep(Duration.ZERO);
                },
                in -> {
                    assertTrue(t[0].cancel("msg"));
                    return t[0];
                },
                in -> {
                    assertEquals("swallowed", in.get());
                    assertFalse(t[0].isCancelled());
                    assertEquals(1, t[0].cancelling());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
    }

    @Test
    void contextVarsAreCopiedIntoChildTasksNotBack() {
        ContextVar<String> var = new ContextVar<>("request");
        List<String> seen = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    assertThrows(NoSuchElementException.class, var::get);
                    assertEquals("fallback", var.get("fallback"));
                    var.set("parent");
                    Task<Object> child = spawn(Script.of(x -> {
                        seen.add("child sees " + var.get());
                        var.set("child");
                        return sleep(Duration.ZERO);
                    }, x -> {
                        seen.add("child still " + var.get());
                        return Script.ret(null);
                    }));
                    var.set("parent-later");
                    return child;
                },
                in -> {
                    seen.add("parent sees " + var.get());
                    ContextVar.Token<String> token = var.set("temporary");
                    var.reset(token);
                    seen.add("after reset " + var.get());
                    assertThrows(IllegalStateException.class, () -> var.reset(token));
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        assertEquals(List.of("child sees parent", "child still child", "parent sees parent-later",
                "after reset parent-later"), seen);
    }

    @Test
    void waitUntilFirstCompleted() {
        Coro.run(Script.of(
                in -> {
                    Task<Object> slow = spawn(after(300, "slow"));
                    Task<Object> fast = spawn(after(100, "fast"));
                    return Coro.waitUntil(ReturnWhen.FIRST_COMPLETED, List.of(slow, fast), null);
                },
                in -> {
                    WaitResult<?> r = (WaitResult<?>) in.get();
                    assertEquals(1, r.done().size());
                    assertEquals("fast", ((Task<?>) r.done().iterator().next()).result());
                    assertEquals(1, r.pending().size());
                    assertEquals(0.1, Coro.loop().time(), 1e-9);
                    return Script.ret(null);
                }), EventLoop.virtualTime());
    }

    @Test
    void waitUntilFirstExceptionAndTimeout() {
        IllegalStateException boom = new IllegalStateException("boom");
        Coro.run(Script.of(
                in -> {
                    Task<Object> ok = spawn(after(100, "ok"));
                    Task<Object> bad = spawn(after(200, boom));
                    Task<Object> never = spawn(after(10_000, "never"));
                    return Coro.waitUntil(ReturnWhen.FIRST_EXCEPTION, List.of(ok, bad, never), null);
                },
                in -> {
                    WaitResult<?> r = (WaitResult<?>) in.get();
                    assertEquals(2, r.done().size());
                    assertEquals(1, r.pending().size());
                    assertEquals(0.2, Coro.loop().time(), 1e-9);
                    Task<?> never = (Task<?>) r.pending().iterator().next();
                    return Coro.waitUntil(ReturnWhen.ALL_COMPLETED, List.of(never), ms(500));
                },
                in -> {
                    WaitResult<?> r = (WaitResult<?>) in.get();
                    assertTrue(r.done().isEmpty());
                    assertEquals(1, r.pending().size());
                    assertEquals(0.7, Coro.loop().time(), 1e-9);
                    for (Object t : r.pending()) {
                        ((Task<?>) t).cancel();
                    }
                    for (Task<?> t : Coro.allTasks()) {
                        if (t != Coro.currentTask() && t.isDone() && !t.isCancelled()) {
                            t.exception();
                        }
                    }
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        assertEquals("boom", boom.getMessage());
    }

    @Test
    void waitUntilRefusesCoroutinesAndEmptyCollections() {
        Coro.run(Script.of(in -> {
            assertThrows(IllegalArgumentException.class,
                    () -> Coro.waitUntil(ReturnWhen.ALL_COMPLETED, List.<Awaitable<?>>of(after(1, "x")), null));
            assertThrows(IllegalArgumentException.class,
                    () -> Coro.waitUntil(ReturnWhen.ALL_COMPLETED, List.<Task<?>>of(), null));
            return Script.ret(null);
        }), EventLoop.virtualTime());
    }

    @Test
    void asCompletedGivesResultsInCompletionOrder() {
        List<Object> order = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    List<Coroutine<Object>> next = Coro.asCompleted(
                            List.of(after(300, "c"), after(100, "a"), after(200, "b")), null);
                    Script.Step[] steps = new Script.Step[next.size() + 1];
                    steps[0] = x -> next.get(0);
                    for (int i = 1; i < next.size(); i++) {
                        int j = i;
                        steps[i] = x -> {
                            order.add(x.get());
                            return next.get(j);
                        };
                    }
                    steps[next.size()] = x -> {
                        order.add(x.get());
                        return Script.ret(null);
                    };
                    return Script.of(steps);
                }), EventLoop.virtualTime());
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void asCompletedTimesOut() {
        List<Object> order = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    List<Coroutine<Object>> next = Coro.asCompleted(List.of(after(100, "a"), after(5000, "z")), ms(1000));
                    return Script.of(x -> next.get(0), x -> {
                        order.add(x.get());
                        return next.get(1);
                    }, Script.catching(x -> {
                        order.add(x.error().getClass().getSimpleName());
                        return Script.ret(null);
                    }));
                }), EventLoop.virtualTime());
        assertEquals(List.of("a", "TimeoutException"), order);
    }

    @Test
    void gatherOfNothingAndOfDuplicates() {
        Coro.run(Script.of(
                in -> Coro.gather(),
                in -> {
                    assertEquals(List.of(), in.get());
                    Task<Object> t = spawn(after(10, "t"));
                    return Coro.gather(t, t, Coro.done("d"));
                },
                in -> {
                    assertEquals(List.of("t", "t", "d"), in.get());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
    }

    @Test
    void shieldOfADoneAwaitableIsTheSameObject() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            Promise<String> p = loop.createPromise();
            p.setResult("x");
            assertSame(p, Coro.shield(p));
        }
    }

    @Test
    void callbacksRunInTheContextCapturedWhenScheduled() {
        ContextVar<String> var = new ContextVar<>("var", "none");
        List<String> seen = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    var.set("task value");
                    Coro.loop().callSoon(() -> seen.add("soon: " + var.get()));
                    Coro.loop().callLater(ms(5), () -> seen.add("later: " + var.get()));
                    var.set("changed after scheduling");
                    return sleep(ms(10));
                },
                in -> {
                    seen.add("task: " + var.get());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        assertEquals(List.of("soon: task value", "later: task value", "task: changed after scheduling"), seen);
    }

    @Test
    void taskGroupBodyFailingAtOnceWhileChildrenRunIsCaughtByTheAwaiter() {
        IllegalStateException boom = new IllegalStateException("fail 2");
        Object caught = Coro.run(Script.of(
                in -> Script.of(x -> 1),   // an await that completes inline first
                in -> Coro.taskGroup(tg -> {
                    tg.spawn(after(20, "a"));
                    tg.spawn(after(30, "b"));
                    return Script.of(x -> {
                        throw boom;        // the body fails before it suspends
                    });
                }),
                Script.catching(in -> {
                    Throwable e = in.error();
                    assertTrue(e instanceof TaskGroupException, String.valueOf(e));
                    return Script.ret(((TaskGroupException) e).exceptions().get(0));
                })), EventLoop.virtualTime());
        assertSame(boom, caught);
    }

    /** CPython 3.13 prints "timed out" three times: the deadline timer was registered first. */
    @Test
    void timeoutAndSleepOfTheSameLengthTimeOut() {
        List<String> out = new ArrayList<>();
        Script.Step[] steps = new Script.Step[6];
        for (int k = 0; k < 3; k++) {
            steps[2 * k] = in -> Coro.timeout(ms(100), t -> sleep(ms(100)));
            steps[2 * k + 1] = Script.catching(in -> {
                out.add(in.error() instanceof TimeoutException ? "timed out" : "finished " + in.get());
                return null;
            });
        }
        Coro.run(Script.of(steps), EventLoop.virtualTime());
        assertEquals(List.of("timed out", "timed out", "timed out"), out);
    }

    @Test
    void doneCallbacksRunInTheContextOfTheCodeThatAddedThem() {
        ContextVar<String> var = new ContextVar<>("var", "none");
        List<String> seen = new ArrayList<>();
        Coro.run(Script.of(
                in -> {
                    Promise<String> p = Coro.loop().createPromise();
                    java.util.function.Consumer<Promise<String>> plain = x -> seen.add("plain: " + var.get());
                    p.addDoneCallback(plain);
                    var.set("task value");
                    java.util.function.Consumer<Promise<String>> bound = x -> seen.add("bound: " + var.get());
                    p.addDoneCallback(bound);
                    p.addDoneCallback(bound);
                    assertEquals(2, p.removeDoneCallback(bound));
                    p.addDoneCallback(bound);
                    var.set("later");
                    Coro.loop().callSoon(() -> p.setResult("x"));
                    return p;
                },
                in -> sleep(Duration.ZERO),
                in -> {
                    seen.add("task: " + var.get());
                    return Script.ret(null);
                }), EventLoop.virtualTime());
        assertEquals(List.of("plain: none", "bound: task value", "task: later"), seen);
    }
}
