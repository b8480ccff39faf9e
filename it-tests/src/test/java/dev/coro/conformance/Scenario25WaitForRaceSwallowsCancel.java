package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.waitFor;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import java.time.Duration;

/**
 * Port of {@code scenario_25_wait_for_race_swallows_cancel.py}: the waiter is cancelled in the step
 * in which the inner future completes; the cancellation wins (3.12+).
 */
public final class Scenario25WaitForRaceSwallowsCancel extends Scenario {
    @Async
    Coroutine<String> outer(Promise<String> fut) {
        try {
            String r = await(waitFor(fut, sec(10)));
            print("outer: wait_for returned", repr(r));
            await(sleep(sec(0.05)));
            print("outer: still running; cancelling() =", currentTask().cancelling());
            return done("outer finished normally");
        } catch (CancelledError e) {
            print("outer: CancelledError (this is what 3.12+ does)");
            throw e;
        }
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        Promise<String> fut = loop.createPromise();
        Task<String> t = spawn(outer(fut));
        await(sleep(Duration.ZERO));
        fut.setResult("inner result");
        t.cancel();
        try {
            print("main: outer ->", await(t), "| cancelled():", t.isCancelled());
        } catch (CancelledError e) {
            print("main: outer cancelled");
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
