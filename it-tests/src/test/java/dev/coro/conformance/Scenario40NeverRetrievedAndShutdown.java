package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.shield;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.conformance.Errors.RuntimeError;
import dev.coro.conformance.Errors.ValueError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Port of {@code scenario_40_never_retrieved_and_shutdown.py}: "Task exception was never retrieved"
 * when a failed, unread task is collected; "Task was destroyed but it is pending!"; run() cancelling
 * leftover tasks at shutdown and reporting their errors. {@code del x; gc.collect()} is
 * {@code x = null; gcCollect()}.
 */
public final class Scenario40NeverRetrievedAndShutdown extends Scenario {
    void handler(EventLoop loop, Map<String, Object> context) {
        Object exc = context.get("exception");
        print("  HANDLER: " + Py.pythonMessage(context.get("message")) + (exc != null ? " / " + repr(exc) : ""));
    }

    @Async
    Coroutine<Void> fail(String msg, double delay) {
        await(sleep(sec(delay)));
        throw new ValueError(msg);
    }

    @Async
    Coroutine<Void> forever() {
        Promise<Void> fut = loop().createPromise();
        try {
            await(fut);
        } finally {
            print("  forever(): finally ran (coroutine closed by GC)");
        }
        return done();
    }

    @Async
    Coroutine<Void> bgPolite() {
        try {
            await(sleep(sec(10)));
        } catch (CancelledError e) {
            print("  bg_polite: cancelled at shutdown");
            throw e;
        }
        return done();
    }

    @Async
    @SuppressWarnings("finally")
    Coroutine<Void> bgRude() {
        try {
            await(sleep(sec(10)));
        } finally {
            throw new RuntimeError("error during shutdown");
        }
    }

    List<Task<Void>> keep = new ArrayList<>();

    /** {@code gc.collect()}. */
    void gcCollect() {
        Gc.collect();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.setExceptionHandler(this::handler);

        print("1) failed task, exception never read");
        Task<Void> t = spawn(fail("lost", 0));
        await(sleep(sec(0.01)));
        print("  t.done() =", t.isDone(), "; dropping the last reference");
        t = null;
        gcCollect();
        print("  after del");

        print("2) exception read via t.exception()");
        t = spawn(fail("seen", 0));
        await(sleep(sec(0.01)));
        print("  t.exception() =", repr(t.exception()));
        t = null;
        gcCollect();
        print("  after del (no report)");

        print("3) shielded task fails after the shield was cancelled");
        Task<Void> inner = spawn(fail("shielded", 0.05));
        Task<?>[] innerRef = {inner};
        Supplier<Coroutine<Void>> caller = () -> {
            await(shield(innerRef[0]));
            return done();
        };
        Task<Void> c = spawn(caller.get());
        await(sleep(sec(0.01)));
        c.cancel();
        await(sleep(sec(0.1)));
        print("  inner.done() =", inner.isDone(), "; dropping references");
        inner = null;
        innerRef[0] = null;
        c = null;
        caller = null;
        gcCollect();
        print("  after del");

        print("4) pending task garbage-collected");
        t = spawn(forever());
        await(sleep(Duration.ZERO));
        t = null;
        gcCollect();
        print("  after del");

        print("5) main returns with background tasks still running");
        keep = List.of(spawn(bgPolite()), spawn(bgRude()));
        await(sleep(sec(0.01)));
        print("  main: returning");
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
        print("asyncio.run returned; bg states:", keep.stream()
                .map(t -> t.isCancelled() ? "cancelled" : repr(t.exception()))
                .collect(Collectors.joining(", ")));
    }
}
