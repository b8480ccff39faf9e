package dev.coro;

import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.taskGroup;
import static dev.coro.Coro.timeout;
import static dev.coro.Coro.timeoutAt;
import static dev.coro.Coro.waitFor;
import static dev.coro.testing.Trace.py;
import static dev.coro.testing.Trace.repr;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import dev.coro.testing.TestBase;
import dev.coro.testing.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hand-written ports of the timeout, waitFor and TaskGroup conformance scenarios. */
class TimeoutAndGroupPortTest extends TestBase {
    private final Trace out = new Trace();
    private double t0;

    private String now() {
        return String.format("%.1f", Coro.loop().time() - t0);
    }

    private static Duration sec(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    private static Frame<Object> plain(double delay, Object value) {
        return Script.of(in -> sleep(sec(delay)), in -> Script.ret(value));
    }

    /** case(label, aw, timeout) of scenario 23. */
    private Frame<Object> case23(String label, Frame<Object> aw, double limit) {
        return Script.of(
                in -> {
                    t0 = Coro.loop().time();
                    out.print(label);
                    return waitFor(aw, sec(limit));
                },
                Script.catching(in -> {
                    Throwable e = in.error();
                    if (e == null) {
                        out.print("[" + now() + "]   returned '" + in.value() + "'");
                    } else if (e instanceof TimeoutException) {
                        out.print("[" + now() + "]   TimeoutError; is asyncio.TimeoutError: True; __cause__="
                                + repr(e.getCause()));
                    } else if (e instanceof IllegalArgumentException) {
                        out.print("[" + now() + "]   KeyError('" + e.getMessage() + "')");
                    } else {
                        throw e;
                    }
                    return Script.ret(null);
                }));
    }

    @Test
    void scenario23WaitForTimeout() {
        Frame<Object> slowCleanup = Script.of(
                Script.catching(in -> sleep(sec(10))),
                Script.catching(in -> {
                    out.print("[" + now() + "]   inner: cleaning up for 0.2s");
                    return sleep(sec(0.2));
                }),
                in -> {
                    throw new CancelledError();
                });
        Frame<Object> swallower = Script.of(
                Script.catching(in -> sleep(sec(10))),
                Script.catching(in -> {
                    out.print("[" + now() + "]   inner: swallowing");
                    return Script.ret("late value");
                }));
        Frame<Object> raiser = Script.of(
                Script.catching(in -> sleep(sec(10))),
                Script.catching(in -> {
                    throw new IllegalArgumentException("from cleanup");
                }));
        Frame<Object> main = Script.of(
                in -> case23("a) completes in time", plain(0.1, "ok"), 0.5),
                in -> case23("b) times out", plain(1, "never"), 0.1),
                in -> case23("c) slow cleanup delays the TimeoutError", slowCleanup, 0.1),
                in -> case23("d) inner swallows cancellation", swallower, 0.1),
                in -> case23("e) inner raises while cancelled", raiser, 0.1));
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("23_wait_for_timeout.txt");
    }

    private Frame<Object> who(Task<?> caller) {
        return Script.of(
                in -> {
                    out.print("  body runs; same task as caller: " + py(currentTask() == caller));
                    return sleep(Duration.ZERO);
                },
                in -> Script.ret("who"));
    }

    @Test
    void scenario24WaitForCancelZeroNone() {
        List<String> log = new ArrayList<>();
        Task<?>[] t = new Task<?>[2];
        Frame<Object> main = Script.of(
                in -> {
                    out.print("timeout=None:");
                    return waitFor(who(currentTask()), null);
                },
                in -> {
                    out.print("  -> " + in.get());
                    out.print("timeout=5:");
                    return waitFor(who(currentTask()), sec(5));
                },
                in -> {
                    out.print("  -> " + in.get());
                    out.print("timeout=0 with coroutine:");
                    return waitFor(Script.of(x -> {
                        out.print("  NOT PRINTED: body of never_started");
                        return Script.ret("x");
                    }), Duration.ZERO);
                },
                Script.catching(in -> {
                    if (!(in.error() instanceof TimeoutException)) {
                        in.get();
                    }
                    out.print("  TimeoutError, __cause__: " + repr(in.error().getCause()));
                    out.print("timeout=0 with done future:");
                    Promise<String> f = Coro.loop().createPromise();
                    f.setResult("done-already");
                    return waitFor(f, Duration.ZERO);
                }),
                in -> {
                    out.print("  -> " + in.get());
                    out.print("cancelling the waiter:");
                    Task<Object> inner = spawn(Script.of(
                            Script.catching(x -> sleep(sec(10))),
                            Script.catching(x -> {
                                if (x.error() instanceof CancelledError) {
                                    log.add("inner cancelled");
                                }
                                return x.get();
                            })));
                    t[0] = inner;
                    t[1] = spawn(waitFor(inner, sec(10)));
                    return sleep(sec(0.05));
                },
                in -> {
                    t[1].cancel();
                    return t[1];
                },
                Script.catching(in -> {
                    if (!(in.error() instanceof CancelledError)) {
                        in.get();
                    }
                    out.print("  waiter cancelled: " + py(t[1].isCancelled()) + " inner cancelled: "
                            + py(t[0].isCancelled()) + " ['" + String.join("', '", log) + "']");
                    return Script.ret(null);
                }));
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("24_wait_for_cancel_zero_none.txt");
    }

    @Test
    void scenario25WaitForRaceSwallowsCancel() {
        Frame<Object> main = Script.of(
                in -> {
                    Promise<String> fut = Coro.loop().createPromise();
                    Task<Object> t = spawn(Script.of(
                            Script.catching(x -> waitFor(fut, sec(10))),
                            Script.catching(x -> {
                                if (x.error() instanceof CancelledError) {
                                    out.print("outer: CancelledError (this is what 3.12+ does)");
                                    throw x.error();
                                }
                                out.print("outer: wait_for returned '" + x.get() + "'");
                                return Script.ret("outer finished normally");
                            })));
                    return Script.of(x -> sleep(Duration.ZERO), x -> {
                        fut.setResult("inner result");
                        t.cancel();
                        return t;
                    });
                },
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        out.print("main: outer cancelled");
                    } else {
                        out.print("main: outer -> " + in.get());
                    }
                    return Script.ret(null);
                }));
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("25_wait_for_race_swallows_cancel.txt");
    }

    @Test
    void scenario26TimeoutBasics() {
        Timeout[] cm = new Timeout[1];
        Task<?>[] me = new Task<?>[1];
        Frame<Object> main = Script.of(
                in -> {
                    me[0] = currentTask();
                    t0 = Coro.loop().time();
                    out.print("a) deadline hits");
                    return timeout(sec(0.1), c -> {
                        cm[0] = c;
                        return Script.of(x -> sleep(sec(1)), x -> {
                            out.print("NOT REACHED");
                            return null;
                        });
                    });
                },
                Script.catching(in -> {
                    if (!(in.error() instanceof TimeoutException)) {
                        in.get();
                    }
                    out.print("[" + now() + "]   TimeoutError cause=" + repr(in.error().getCause()) + " expired="
                            + py(cm[0].expired()) + " cancelling=" + me[0].cancelling());
                    out.print("b) finishes in time");
                    return timeout(sec(0.5), c -> {
                        cm[0] = c;
                        return sleep(sec(0.1));
                    });
                }),
                in -> {
                    out.print("[" + now() + "]   ok expired=" + py(cm[0].expired()));
                    out.print("c) timeout(None)");
                    return timeout(null, c -> {
                        cm[0] = c;
                        return sleep(sec(0.1));
                    });
                },
                in -> {
                    out.print("[" + now() + "]   ok when=" + (cm[0].when() == null ? "None" : cm[0].when())
                            + " expired=" + py(cm[0].expired()));
                    out.print("d) reschedule to extend");
                    return timeout(sec(0.1), c -> {
                        c.reschedule(Coro.loop().time() + 0.3);
                        return Script.of(x -> sleep(sec(0.2)), x -> {
                            out.print("[" + now() + "]   survived past the original deadline");
                            return sleep(sec(1));
                        });
                    });
                },
                Script.catching(in -> {
                    if (!(in.error() instanceof TimeoutException)) {
                        in.get();
                    }
                    out.print("[" + now() + "]   TimeoutError at the new deadline");
                    out.print("e) timeout(0) + sleep(0)");
                    return timeout(Duration.ZERO, c -> Script.of(x -> sleep(Duration.ZERO), x -> {
                        out.print("NOT REACHED");
                        return null;
                    }));
                }),
                Script.catching(in -> {
                    if (!(in.error() instanceof TimeoutException)) {
                        in.get();
                    }
                    out.print("[" + now() + "]   TimeoutError even with sleep(0)");
                    out.print("f) timeout_at in the past, no await inside");
                    return timeoutAt(Coro.loop().time() - 1, c -> {
                        cm[0] = c;
                        return Coro.done(1 + 1);
                    });
                }),
                in -> {
                    out.print("   no await -> no cancellation point -> no error; expired=" + py(cm[0].expired()));
                    return Script.ret(null);
                });
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("26_timeout_cm_basic.txt");
    }

    private Frame<Object> child30(List<String> events, String name, boolean failInCleanup) {
        return Script.of(
                Script.catching(in -> sleep(sec(10))),
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        events.add(name + " cancelled");
                        if (failInCleanup) {
                            throw new ArithmeticException(name);
                        }
                    }
                    return in.get();
                }));
    }

    @Test
    void scenario30TaskGroupParentCancel() {
        List<String> events = new ArrayList<>();
        List<Script.Step> steps = new ArrayList<>();
        for (boolean fail : new boolean[] {false, true}) {
            Task<?>[] r = new Task<?>[1];
            steps.add(in -> {
                events.clear();
                out.print("fail_in_cleanup=" + py(fail));
                r[0] = spawn(taskGroup(tg -> {
                    for (int i = 0; i < 3; i++) {
                        tg.spawn(child30(events, "c" + i, fail && i == 1));
                    }
                    return Script.of(
                            Script.catching(x -> sleep(sec(10))),
                            Script.catching(x -> {
                                if (x.error() instanceof CancelledError) {
                                    events.add("body cancelled");
                                }
                                return x.get();
                            }));
                }));
                return sleep(sec(0.1));
            });
            steps.add(in -> {
                r[0].cancel();
                return r[0];
            });
            steps.add(Script.catching(in -> {
                Throwable e = in.error();
                if (e instanceof CancelledError) {
                    out.print("  runner raised CancelledError; cancelled(): " + py(r[0].isCancelled()));
                } else if (e instanceof TaskGroupException) {
                    out.print("  runner raised ExceptionGroup: " + ((TaskGroupException) e).exceptions().stream()
                            .map(x -> x instanceof ArithmeticException ? "ZeroDivisionError('" + x.getMessage() + "')" : repr(x))
                            .collect(Collectors.joining(", ")) + " ; cancelled(): " + py(r[0].isCancelled()));
                } else {
                    in.get();
                }
                List<String> sorted = new ArrayList<>(events);
                Collections.sort(sorted);
                out.print("  events: ['" + String.join("', '", sorted) + "']");
                return null;
            }));
        }
        Coro.run(Script.of(steps.toArray(new Script.Step[0])), EventLoop.virtualTime());
        out.assertMatches("30_taskgroup_parent_cancel.txt");
    }
}
