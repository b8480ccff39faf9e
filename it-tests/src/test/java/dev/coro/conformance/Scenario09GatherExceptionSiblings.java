package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
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
import dev.coro.conformance.Errors.KeyError;
import dev.coro.conformance.Errors.ValueError;
import java.util.List;
import java.util.Map;

/**
 * Port of {@code scenario_09_gather_exception_siblings.py}: the first child exception reaches the
 * awaiter at once; siblings are not cancelled; a later sibling exception is marked retrieved.
 */
public final class Scenario09GatherExceptionSiblings extends Scenario {
    @Async
    Coroutine<String> ok(String name, double delay) {
        try {
            await(sleep(sec(delay)));
            print("[" + secs(now()) + "] " + name + " finished normally");
            return done(name);
        } catch (CancelledError e) {
            print("[" + secs(now()) + "] " + name + " was cancelled");
            throw e;
        }
    }

    @Async
    Coroutine<String> bad(String name, double delay, RuntimeException exc) {
        await(sleep(sec(delay)));
        print("[" + secs(now()) + "] " + name + " raising " + repr(exc));
        throw exc;
    }

    double t0 = 0.0;

    double now() {
        return loop().time() - t0;
    }

    void handler(EventLoop loop, Map<String, Object> context) {
        print("EXCEPTION HANDLER:", Py.pythonMessage(context.get("message")));
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.setExceptionHandler(this::handler);
        t0 = loop.time();
        Task<String> a = spawn(ok("a", 0.3));
        Promise<List<Object>> g = gather(a, bad("b", 0.1, new ValueError("first")),
                bad("c", 0.2, new KeyError("second")));
        try {
            await(g);
        } catch (Exception e) {
            print("[" + secs(now()) + "] main caught " + repr(e));
        }
        print("gather done:", g.isDone(), "a.done():", a.isDone());
        await(sleep(sec(0.4)));
        print("[" + secs(now()) + "] a.cancelled() = " + str(a.isCancelled()) + ", a.result() = " + repr(a.result()));
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
        print("end");
    }
}
