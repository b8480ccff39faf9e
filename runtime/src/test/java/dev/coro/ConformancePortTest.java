package dev.coro;

import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.testing.Trace.py;
import static dev.coro.testing.Trace.repr;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import dev.coro.testing.TestBase;
import dev.coro.testing.Trace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-written ports (coroutines written as frames) of conformance scenarios, compared line by
 * line with the traces CPython 3.13 printed.
 */
class ConformancePortTest extends TestBase {
    private final Trace out = new Trace();
    private int tick;

    private void ticker(EventLoop loop) {
        tick++;
        loop.callSoon(() -> ticker(loop));
    }

    private void log(String message) {
        out.print("[tick " + tick + "] " + message);
    }

    private Frame<String> child(String name) {
        return Script.of(in -> {
            log(name + " first step");
            return Script.ret(name);
        });
    }

    @Test
    void scenario06IterationCounting() {
        Promise<?>[] fut = new Promise<?>[1];
        Frame<Object> main = Script.of(
                in -> {
                    EventLoop loop = Coro.loop();
                    loop.callSoon(() -> ticker(loop));
                    return sleep(Duration.ZERO);
                },
                in -> {
                    log("main start");
                    return Script.of(x -> {
                        log("plain coroutine body (same task, no scheduling)");
                        return Script.ret(1);
                    });
                },
                in -> {
                    log("after await plain()");
                    return sleep(Duration.ZERO);
                },
                in -> {
                    log("after sleep(0)");
                    spawn(child("T"));
                    log("created T");
                    return sleep(Duration.ZERO);
                },
                in -> {
                    log("after sleep(0) following create_task");
                    Task<String> t2 = spawn(child("T2"));
                    log("created T2, awaiting it");
                    return t2;
                },
                in -> {
                    log("await T2 returned " + in.get());
                    Promise<String> f = Coro.loop().createPromise();
                    fut[0] = f;
                    Coro.loop().callSoon(() -> {
                        log("setting fut result");
                        f.setResult("F");
                    });
                    return f;
                },
                in -> {
                    log("await fut returned " + in.get());
                    log("calling gather");
                    return gather(child("G1"), child("G2"));
                },
                in -> {
                    List<?> r = (List<?>) in.get();
                    log("gather returned ['" + r.get(0) + "', '" + r.get(1) + "']");
                    return Script.ret(null);
                });
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("06_iteration_counting.txt");
    }

    @Test
    void scenario14CancelBeforeStart() {
        Task<?>[] holder = new Task<?>[1];
        Frame<Object> main = Script.of(
                in -> {
                    Task<Object> t = spawn(Script.of(x -> {
                        out.print("body: THIS MUST NOT PRINT");
                        return sleep(Duration.ofSeconds(1));
                    }));
                    holder[0] = t;
                    out.print("cancel() -> " + py(t.cancel("early")));
                    out.print("cancelled() right after cancel(): " + py(t.isCancelled()) + " cancelling(): " + t.cancelling());
                    return t;
                },
                Script.catching(in -> {
                    out.print("await t -> " + repr(in.error()));
                    Task<?> t = holder[0];
                    out.print("t.cancelled(): " + py(t.isCancelled()) + " t.done(): " + py(t.isDone()));
                    out.print("cancel() on a finished task -> " + py(t.cancel()));
                    return Script.ret(null);
                }));
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("14_cancel_before_start.txt");
    }

    /** sleeper(tag): loops sleeping 1 s, counting swallowed cancellations; re-raises the second. */
    private Frame<Integer> sleeper(String tag) {
        return new Frame<>(f -> {
            int n = Frame.getInt(f, 0);
            for (;;) {
                try {
                    if (f.state == 0) {
                        Object r = Frame.await(sleep(Duration.ofSeconds(1)), f);
                        if (r == Frame.SUSPENDED) {
                            Frame.putInt(n, f, 0);
                            f.state = 1;
                            return Frame.SUSPENDED;
                        }
                    } else {
                        f.state = 0;
                        f.resumeValue();
                    }
                    out.print(tag + ": woke up normally");
                    return n;
                } catch (CancelledError e) {
                    n++;
                    out.print(tag + ": CancelledError #" + n + " " + repr(e));
                    if (n >= 2) {
                        throw e;
                    }
                }
            }
        }, 0, 1);
    }

    @Test
    void scenario15CancelTwice() {
        Task<?>[] t = new Task<?>[1];
        Frame<Object> main = Script.of(
                in -> {
                    t[0] = spawn(sleeper("A"));
                    return sleep(Duration.ZERO);
                },
                in -> {
                    out.print("A cancel #1 -> " + py(t[0].cancel("one")));
                    out.print("A cancel #2 -> " + py(t[0].cancel("two")));
                    out.print("A cancelling(): " + t[0].cancelling());
                    return t[0];
                },
                in -> {
                    out.print("A result: " + in.get() + " cancelled(): " + py(t[0].isCancelled()));
                    out.print("A cancel after done -> " + py(t[0].cancel()) + " cancelling(): " + t[0].cancelling());
                    t[0] = spawn(sleeper("B"));
                    return sleep(Duration.ZERO);
                },
                in -> {
                    t[0].cancel("first");
                    return sleep(Duration.ofMillis(100));
                },
                in -> {
                    out.print("B cancelling() after swallow: " + t[0].cancelling());
                    t[0].cancel("second");
                    return t[0];
                },
                Script.catching(in -> {
                    out.print("B ended cancelled: " + py(t[0].isCancelled()) + " " + repr(in.error())
                            + " cancelling(): " + t[0].cancelling());
                    return Script.ret(null);
                }));
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("15_cancel_twice.txt");
    }

    @Test
    void scenario18CancelLostWhenInnerSwallows() {
        Task<?>[] tasks = new Task<?>[2];
        Frame<Object> main = Script.of(
                in -> {
                    Task<Object> it = spawn(Script.of(
                            Script.catching(x -> sleep(Duration.ofSeconds(1))),
                            Script.catching(x -> {
                                if (x.error() instanceof CancelledError) {
                                    out.print("inner: swallowing " + repr(x.error()));
                                    return Script.ret("inner swallowed");
                                }
                                x.get();
                                return Script.ret("inner normal");
                            })));
                    Task<Object> ot = spawn(Script.of(
                            x -> it,
                            x -> {
                                out.print("outer: got '" + x.get() + "', continuing");
                                return sleep(Duration.ofMillis(100));
                            },
                            x -> {
                                out.print("outer: second await also completed");
                                return Script.ret("outer done");
                            }));
                    tasks[0] = it;
                    tasks[1] = ot;
                    return sleep(Duration.ofMillis(50));
                },
                in -> {
                    out.print("outer.cancel() -> " + py(tasks[1].cancel("cancel outer")));
                    out.print("inner.cancelling(): " + tasks[0].cancelling() + " outer.cancelling(): " + tasks[1].cancelling());
                    return tasks[1];
                },
                in -> {
                    out.print("main: outer returned '" + in.get() + "', outer.cancelled()=" + py(tasks[1].isCancelled())
                            + ", outer.cancelling()=" + tasks[1].cancelling());
                    return Script.ret(null);
                });
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("18_cancel_lost_when_inner_swallows.txt");
    }

    @Test
    void scenario19SelfCancelMustCancel() {
        Frame<Object> a = Script.of(in -> {
            currentTask().cancel();
            out.print("a: returning 12 after self-cancel");
            return Script.ret(12);
        });
        Frame<Object> b = Script.of(
                in -> {
                    Promise<String> done = Coro.loop().createPromise();
                    done.setResult("already");
                    currentTask().cancel("self b");
                    return done;
                },
                in -> {
                    out.print("b: awaiting done future -> " + in.get());
                    return sleep(Duration.ZERO);
                },
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        out.print("b: sleep(0) raised " + repr(in.error()));
                    } else {
                        out.print("b: NOT REACHED");
                    }
                    return in.get();
                }));
        Promise<?>[] fut = new Promise<?>[1];
        Frame<Object> c = Script.of(
                in -> {
                    currentTask().cancel("self c");
                    return fut[0];
                },
                Script.catching(in -> {
                    out.print("c: await pending fut raised " + repr(in.error()) + " fut.cancelled() = " + py(fut[0].isCancelled()));
                    return in.get();
                }));
        Object[][] cases = {{"a", a}, {"b", b}, {"c", c}};
        Frame<Object> main = Script.of(in -> {
            fut[0] = Coro.loop().createPromise();
            return Script.of(steps(cases, 0));
        });
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("19_self_cancel_must_cancel.txt");
    }

    private Script.Step[] steps(Object[][] cases, int unused) {
        Script.Step[] steps = new Script.Step[cases.length * 2];
        Task<?>[] t = new Task<?>[1];
        for (int i = 0; i < cases.length; i++) {
            String name = (String) cases[i][0];
            @SuppressWarnings("unchecked")
            Frame<Object> coro = (Frame<Object>) cases[i][1];
            steps[2 * i] = Script.catching(in -> {
                t[0] = spawn(coro);
                return t[0];
            });
            steps[2 * i + 1] = Script.catching(in -> {
                if (in.error() instanceof CancelledError) {
                    out.print(name + ": task cancelled=" + py(t[0].isCancelled()) + " " + repr(in.error()));
                } else {
                    out.print(name + ": result " + in.get());
                }
                return null;
            });
        }
        return steps;
    }
}
