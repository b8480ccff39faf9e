package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Port of {@code scenario_19_self_cancel_must_cancel.py}: a task cancelling itself while running
 * ends cancelled at its next suspension (or at its return).
 */
public final class Scenario19SelfCancelMustCancel extends Scenario {
    @Async
    Coroutine<Integer> a() {
        currentTask().cancel();
        print("a: returning 12 after self-cancel");
        return done(12);
    }

    @Async
    Coroutine<Void> b() {
        EventLoop loop = loop();
        Promise<String> done = loop.createPromise();
        done.setResult("already");
        currentTask().cancel("self b");
        print("b: awaiting done future ->", await(done));
        try {
            await(sleep(Duration.ZERO));
            print("b: NOT REACHED");
        } catch (CancelledError e) {
            print("b: sleep(0) raised", repr(e));
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> c(Promise<Object> fut) {
        currentTask().cancel("self c");
        try {
            await(fut);
        } catch (CancelledError e) {
            print("c: await pending fut raised", repr(e), "fut.cancelled() =", fut.isCancelled());
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        List<Map.Entry<String, Coroutine<?>>> cases = List.of(
                Map.entry("a", a()), Map.entry("b", b()), Map.entry("c", c(loop.createPromise())));
        for (Map.Entry<String, Coroutine<?>> e : cases) {
            String name = e.getKey();
            Task<?> t = spawn(e.getValue());
            try {
                Object r = await(t);
                print(name + ": result " + repr(r));
            } catch (CancelledError ex) {
                print(name + ": task cancelled=" + str(t.isCancelled()) + " " + repr(ex));
            }
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
