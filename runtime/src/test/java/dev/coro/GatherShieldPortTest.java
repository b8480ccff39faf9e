package dev.coro;

import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.gatherReturnExceptions;
import static dev.coro.Coro.shield;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.taskGroup;
import static dev.coro.testing.Trace.py;
import static dev.coro.testing.Trace.repr;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import dev.coro.testing.TestBase;
import dev.coro.testing.Trace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hand-written ports of the gather, shield, TaskGroup and unretrieved-exception scenarios. */
class GatherShieldPortTest extends TestBase {
    private final Trace out = new Trace();
    private double t0;

    private String now() {
        return String.format("%.1f", Coro.loop().time() - t0);
    }

    private static Duration sec(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    private static String flags(List<Task<Object>> kids, boolean cancelled) {
        return "[" + kids.stream().map(k -> py(cancelled ? k.isCancelled() : k.isDone()))
                .collect(Collectors.joining(", ")) + "]";
    }

    private Frame<Object> child12(String name, boolean swallow) {
        return Script.of(
                Script.catching(in -> sleep(sec(1))),
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        out.print("  " + name + ": " + repr(in.error()));
                        if (!swallow) {
                            throw in.error();
                        }
                        return Script.of(x -> sleep(sec(0.1)), x -> {
                            out.print("  " + name + ": swallowed, returning normally");
                            return Script.ret(name + "-survived");
                        });
                    }
                    return Script.ret(name);
                }));
    }

    @Test
    void scenario12GatherCancelOuter() {
        List<Script.Step> steps = new ArrayList<>();
        for (boolean rexc : new boolean[] {false, true}) {
            Task<?>[] t = new Task<?>[1];
            steps.add(in -> {
                out.print("(a) cancel awaiting task, return_exceptions=" + py(rexc));
                List<Task<Object>> kids = new ArrayList<>();
                t[0] = spawn(Script.of(
                        x -> {
                            kids.add(spawn(child12("c1", false)));
                            kids.add(spawn(child12("c2", true)));
                            kids.add(spawn(child12("c3", false)));
                            return rexc ? gatherReturnExceptions(kids) : gather(kids);
                        },
                        Script.catching(x -> {
                            if (x.error() instanceof CancelledError) {
                                out.print("  waiter: " + repr(x.error()));
                                out.print("  kids cancelled: " + flags(kids, true) + " done: " + flags(kids, false));
                            }
                            return Script.ret(x.get());
                        })));
                return sleep(sec(0.1));
            });
            steps.add(in -> {
                out.print("  t.cancel() -> " + py(t[0].cancel("outer msg")));
                return t[0];
            });
            steps.add(Script.catching(in -> {
                if (in.error() instanceof CancelledError) {
                    out.print("  main: waiter task cancelled(): " + py(t[0].isCancelled()));
                } else {
                    in.get();
                }
                return sleep(sec(0.2));
            }));
        }
        List<Task<Object>> kids = new ArrayList<>();
        Promise<?>[] g = new Promise<?>[1];
        steps.add(in -> {
            out.print("(b) gather_future.cancel() directly");
            kids.add(spawn(child12("d1", false)));
            kids.add(spawn(child12("d2", false)));
            g[0] = gather(kids);
            return sleep(sec(0.1));
        });
        steps.add(in -> {
            out.print("  g.cancel() -> " + py(g[0].cancel()));
            return g[0];
        });
        steps.add(Script.catching(in -> {
            out.print("  await g -> " + repr(in.error()));
            out.print("  g.cancelled(): " + py(g[0].isCancelled()) + " kids cancelled: " + flags(kids, true));
            out.print("  g.cancel() again -> " + py(g[0].cancel()));
            return Script.ret(null);
        }));
        Coro.run(Script.of(steps.toArray(new Script.Step[0])), EventLoop.virtualTime());
        out.assertMatches("12_gather_cancel_outer.txt");
    }

    private Frame<Object> work(String name, double delay, boolean fail) {
        return Script.of(
                Script.catching(in -> sleep(sec(delay))),
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        out.print("[" + now() + "] " + name + ": cancelled");
                        throw in.error();
                    }
                    if (fail) {
                        out.print("[" + now() + "] " + name + ": raising");
                        throw new IllegalStateException(name);
                    }
                    out.print("[" + now() + "] " + name + ": completed");
                    return Script.ret(name);
                }));
    }

    private Frame<Object> shieldedCaller(Task<Object> inner) {
        return Script.of(
                Script.catching(in -> shield(inner)),
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        out.print("[" + now() + "] caller: CancelledError " + repr(in.error()) + " (inner.done()="
                                + py(inner.isDone()) + ")");
                    }
                    return Script.ret(in.get());
                }));
    }

    @Test
    void scenario22Shield() {
        @SuppressWarnings("unchecked")
        Task<Object>[] t = new Task[6];
        Promise<?>[] outer = new Promise<?>[1];
        Frame<Object> main = Script.of(
                in -> {
                    Coro.loop().setExceptionHandler((l, c) -> out.print("EXCEPTION HANDLER: " + c.get("message")));
                    t0 = Coro.loop().time();
                    t[0] = spawn(work("inner1", 0.3, false));
                    t[1] = spawn(shieldedCaller(t[0]));
                    return sleep(sec(0.1));
                },
                in -> {
                    t[1].cancel("outer");
                    return t[1];
                },
                Script.catching(in -> {
                    out.print("[" + now() + "] main: caller cancelled=" + py(t[1].isCancelled()));
                    return t[0];
                }),
                in -> {
                    out.print("[" + now() + "] main: awaiting inner directly -> '" + in.get() + "'");
                    t[2] = spawn(work("inner2", 0.2, true));
                    t[3] = spawn(shieldedCaller(t[2]));
                    return sleep(sec(0.1));
                },
                in -> {
                    t[3].cancel();
                    return gatherReturnExceptions(t[3]);
                },
                in -> {
                    out.print("[" + now() + "] main: caller2 cancelled=" + py(t[3].isCancelled()) + ", inner2.done()="
                            + py(t[2].isDone()));
                    return gatherReturnExceptions(t[2]);
                },
                in -> {
                    Throwable exc = (Throwable) ((List<?>) in.get()).get(0);
                    out.print("[" + now() + "] main: inner2 outcome retrieved explicitly: RuntimeError('"
                            + exc.getMessage() + "')");
                    t[4] = spawn(work("inner3", 1, false));
                    outer[0] = shield(t[4]);
                    return sleep(sec(0.1));
                },
                in -> {
                    t[4].cancel();
                    return outer[0];
                },
                Script.catching(in -> {
                    if (in.error() instanceof CancelledError) {
                        out.print("[" + now() + "] inner cancelled -> shield outer.cancelled()="
                                + py(outer[0].isCancelled()));
                    }
                    Promise<Integer> f = Coro.loop().createPromise();
                    f.setResult(5);
                    out.print("shield(done future) is the same object: " + py(shield(f) == f));
                    return Script.ret(null);
                }));
        Coro.run(main, EventLoop.virtualTime());
        out.print("end");
        out.assertMatches("22_shield.txt");
    }

    @Test
    void scenario28TaskGroupFirstError() {
        Task<?>[] me = new Task<?>[1];
        @SuppressWarnings("unchecked")
        Task<Object>[] qs = new Task[2];
        Frame<Object> quick = Script.of(x -> sleep(sec(0.05)), x -> {
            out.print("[" + now() + "] quick: done");
            return Script.ret("quick-result");
        });
        Frame<Object> failing = Script.of(x -> sleep(sec(0.1)), x -> {
            out.print("[" + now() + "] failing: raising ValueError");
            throw new IllegalArgumentException("boom");
        });
        Frame<Object> sibling = Script.of(Script.catching(x -> sleep(sec(1))), Script.catching(x -> {
            if (x.error() instanceof CancelledError) {
                out.print("[" + now() + "] sibling: cancelled");
            }
            return x.get();
        }));
        Frame<Object> main = Script.of(
                in -> {
                    t0 = Coro.loop().time();
                    me[0] = currentTask();
                    return taskGroup(tg -> {
                        qs[0] = tg.spawn(quick);
                        tg.spawn(failing);
                        qs[1] = tg.spawn(sibling);
                        return Script.of(
                                Script.catching(x -> sleep(sec(1))),
                                Script.catching(x -> {
                                    if (!(x.error() instanceof CancelledError)) {
                                        out.print("body: NOT REACHED");
                                        return x.get();
                                    }
                                    out.print("[" + now() + "] body: CancelledError at its await (cancelling="
                                            + me[0].cancelling() + ")");
                                    try {
                                        tg.spawn(Script.of(y -> 1));
                                    } catch (IllegalStateException e) {
                                        out.print("[" + now() + "] body: create_task during abort -> RuntimeError"
                                                + " ('shutting down' in msg: " + py(e.getMessage().contains("shutting down")) + ")");
                                    }
                                    throw x.error();
                                }));
                    });
                },
                Script.catching(in -> {
                    TaskGroupException eg = (TaskGroupException) in.error();
                    out.print("[" + now() + "] caught ExceptionGroup: '" + eg.getMessage() + "' ["
                            + eg.exceptions().stream().map(e -> "ValueError('" + e.getMessage() + "')")
                                    .collect(Collectors.joining(", ")) + "]");
                    out.print("[" + now() + "] after TaskGroup: cancelling=" + me[0].cancelling() + " cancelled="
                            + py(me[0].isCancelled()));
                    out.print("quick result kept: " + qs[0].result() + " | sibling cancelled: " + py(qs[1].isCancelled()));
                    return sleep(sec(0.05));
                }),
                in -> {
                    out.print("[" + now() + "] parent continues normally");
                    return Script.ret(null);
                });
        Coro.run(main, EventLoop.virtualTime());
        out.assertMatches("28_taskgroup_first_error.txt");
    }

    private Frame<Object> fail(String message, double delay) {
        return Script.of(in -> sleep(sec(delay)), in -> {
            throw new IllegalArgumentException(message);
        });
    }

    /**
     * Scenario 40 without part 4: a pending task is held by its loop until it ends, so "Task was
     * destroyed but it is pending!" cannot happen (a deliberate difference).
     */
    @Test
    void scenario40NeverRetrievedAndShutdown() {
        List<String> expected = new ArrayList<>(Trace.expected("40_never_retrieved_and_shutdown.txt"));
        int part4 = expected.indexOf("4) pending task garbage-collected");
        expected.subList(part4, part4 + 4).clear();
        expected.replaceAll(line -> line.replace("during asyncio.run() shutdown", "during Coro.run() shutdown"));
        @SuppressWarnings("unchecked")
        Task<Object>[] t = new Task[3];
        List<Task<Object>> keep = new ArrayList<>();
        EventLoop loop = EventLoop.virtualTime();
        loop.setExceptionHandler((l, context) -> {
            Object exc = context.get("exception");
            out.print("  HANDLER: " + context.get("message") + (exc != null ? " / " + pyRepr((Throwable) exc) : ""));
        });
        Frame<Object> main = Script.of(
                in -> {
                    out.print("1) failed task, exception never read");
                    t[0] = spawn(fail("lost", 0));
                    return sleep(sec(0.01));
                },
                in -> {
                    out.print("  t.done() = " + py(t[0].isDone()) + " ; dropping the last reference");
                    t[0] = null;
                    loop.collectGarbageForTests();
                    out.print("  after del");
                    out.print("2) exception read via t.exception()");
                    t[0] = spawn(fail("seen", 0));
                    return sleep(sec(0.01));
                },
                in -> {
                    out.print("  t.exception() = " + pyRepr(t[0].exception()));
                    t[0] = null;
                    loop.collectGarbageForTests();
                    out.print("  after del (no report)");
                    out.print("3) shielded task fails after the shield was cancelled");
                    t[0] = spawn(fail("shielded", 0.05));
                    Task<Object> inner = t[0];
                    t[1] = spawn(Script.of(x -> shield(inner)));
                    return sleep(sec(0.01));
                },
                in -> {
                    t[1].cancel();
                    return sleep(sec(0.1));
                },
                in -> {
                    out.print("  inner.done() = " + py(t[0].isDone()) + " ; dropping references");
                    t[0] = null;
                    t[1] = null;
                    loop.collectGarbageForTests();
                    out.print("  after del");
                    out.print("5) main returns with background tasks still running");
                    keep.add(spawn(Script.of(Script.catching(x -> sleep(sec(10))), Script.catching(x -> {
                        if (x.error() instanceof CancelledError) {
                            out.print("  bg_polite: cancelled at shutdown");
                        }
                        return x.get();
                    }))));
                    keep.add(spawn(Script.of(Script.catching(x -> sleep(sec(10))), Script.catching(x -> {
                        throw new IllegalStateException("error during shutdown");
                    }))));
                    return sleep(sec(0.01));
                },
                in -> {
                    out.print("  main: returning");
                    return Script.ret(null);
                });
        Coro.run(main, loop);
        out.print("asyncio.run returned; bg states: " + keep.stream()
                .map(k -> k.isCancelled() ? "cancelled" : pyRepr(k.exception())).collect(Collectors.joining(", ")));
        org.junit.jupiter.api.Assertions.assertEquals(String.join("\n", expected), String.join("\n", out.lines()));
    }

    private static String pyRepr(Throwable e) {
        String type = e instanceof IllegalArgumentException ? "ValueError"
                : e instanceof IllegalStateException ? "RuntimeError" : e.getClass().getSimpleName();
        return type + "('" + e.getMessage() + "')";
    }

}
