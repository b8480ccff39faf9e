package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gatherReturnExceptions;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.shield;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.secs;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.conformance.Errors.RuntimeError;
import java.util.List;
import java.util.Map;

/**
 * Port of {@code scenario_22_shield.py}: the caller of shield() is cancelled at once while the inner
 * task runs on; cancelling inner cancels the shield; shield(done) is the same object.
 */
public final class Scenario22Shield extends Scenario {
    double t0 = 0.0;

    double now() {
        return loop().time() - t0;
    }

    @Async
    Coroutine<String> work(String name, double delay, boolean fail) {
        try {
            await(sleep(sec(delay)));
        } catch (CancelledError e) {
            print("[" + secs(now()) + "] " + name + ": cancelled");
            throw e;
        }
        if (fail) {
            print("[" + secs(now()) + "] " + name + ": raising");
            throw new RuntimeError(name);
        }
        print("[" + secs(now()) + "] " + name + ": completed");
        return done(name);
    }

    @Async
    Coroutine<String> shieldedCaller(Task<String> inner) {
        try {
            return done(await(shield(inner)));
        } catch (CancelledError e) {
            print("[" + secs(now()) + "] caller: CancelledError " + repr(e) + " (inner.done()=" + str(inner.isDone()) + ")");
            throw e;
        }
    }

    void handler(EventLoop loop, Map<String, Object> context) {
        print("EXCEPTION HANDLER:", Py.pythonMessage(context.get("message")));
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.setExceptionHandler(this::handler);
        t0 = loop.time();

        Task<String> inner = spawn(work("inner1", 0.3, false));
        Task<String> caller = spawn(shieldedCaller(inner));
        await(sleep(sec(0.1)));
        caller.cancel("outer");
        try {
            await(caller);
        } catch (CancelledError e) {
            print("[" + secs(now()) + "] main: caller cancelled=" + str(caller.isCancelled()));
        }
        String r = await(inner);
        print("[" + secs(now()) + "] main: awaiting inner directly -> " + repr(r));

        Task<String> inner2 = spawn(work("inner2", 0.2, true));
        Task<String> caller2 = spawn(shieldedCaller(inner2));
        await(sleep(sec(0.1)));
        caller2.cancel();
        await(gatherReturnExceptions(caller2));
        print("[" + secs(now()) + "] main: caller2 cancelled=" + str(caller2.isCancelled())
                + ", inner2.done()=" + str(inner2.isDone()));
        List<Object> outcome = await(gatherReturnExceptions(inner2));
        Object exc = outcome.get(0);
        print("[" + secs(now()) + "] main: inner2 outcome retrieved explicitly: " + repr(exc));

        Task<String> inner3 = spawn(work("inner3", 1, false));
        Promise<String> outer = shield(inner3);
        await(sleep(sec(0.1)));
        inner3.cancel();
        try {
            await(outer);
        } catch (CancelledError e) {
            print("[" + secs(now()) + "] inner cancelled -> shield outer.cancelled()=" + str(outer.isCancelled()));
        }

        Promise<Integer> f = loop.createPromise();
        f.setResult(5);
        print("shield(done future) is the same object:", shield(f) == f);
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
        print("end");
    }
}
