package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;

/**
 * Port of {@code scenario_18_cancel_lost_when_inner_swallows.py}: outer's cancel is forwarded to the
 * inner task it awaits; inner swallows it, so outer gets inner's value and is never cancelled.
 */
public final class Scenario18CancelLostWhenInnerSwallows extends Scenario {
    @Async
    Coroutine<String> inner() {
        try {
            await(sleep(sec(1)));
            return done("inner normal");
        } catch (CancelledError e) {
            print("inner: swallowing " + repr(e));
            return done("inner swallowed");
        }
    }

    @Async
    Coroutine<String> outer(Task<String> t) {
        String r = await(t);
        print("outer: got " + repr(r) + ", continuing");
        await(sleep(sec(0.1)));
        print("outer: second await also completed");
        return done("outer done");
    }

    @Async
    Coroutine<Void> main() {
        Task<String> it = spawn(inner());
        Task<String> ot = spawn(outer(it));
        await(sleep(sec(0.05)));
        print("outer.cancel() ->", ot.cancel("cancel outer"));
        print("inner.cancelling():", it.cancelling(), "outer.cancelling():", ot.cancelling());
        String r = await(ot);
        print("main: outer returned " + repr(r) + ", outer.cancelled()=" + str(ot.isCancelled())
                + ", outer.cancelling()=" + ot.cancelling());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
