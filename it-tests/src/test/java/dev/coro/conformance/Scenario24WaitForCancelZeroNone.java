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
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Port of {@code scenario_24_wait_for_cancel_zero_none.py}: waitFor with no timeout and with a
 * timeout runs a coroutine in the caller's task; timeout 0 never starts a coroutine; cancelling the
 * waiter cancels the inner task.
 */
public final class Scenario24WaitForCancelZeroNone extends Scenario {
    @Async
    Coroutine<String> who(Task<?> caller) {
        print("  body runs; same task as caller:", currentTask() == caller);
        await(sleep(Duration.ZERO));
        return done("who");
    }

    @Async
    Coroutine<String> neverStarted() {
        print("  NOT PRINTED: body of never_started");
        return done("x");
    }

    @Async
    Coroutine<String> blocker(List<String> log) {
        try {
            await(sleep(sec(10)));
        } catch (CancelledError e) {
            log.add("inner cancelled");
            throw e;
        }
        return done(null);
    }

    @Async
    Coroutine<Void> main() {
        Task<?> me = currentTask();
        print("timeout=None:");
        print("  ->", await(waitFor(who(me), null)));
        print("timeout=5:");
        print("  ->", await(waitFor(who(me), sec(5))));
        print("timeout=0 with coroutine:");
        try {
            await(waitFor(neverStarted(), Duration.ZERO));
        } catch (TimeoutException e) {
            print("  TimeoutError, __cause__:", repr(e.getCause()));
        }
        print("timeout=0 with done future:");
        Promise<String> f = loop().createPromise();
        f.setResult("done-already");
        print("  ->", await(waitFor(f, Duration.ZERO)));

        print("cancelling the waiter:");
        List<String> log = new ArrayList<>();
        Task<String> inner = spawn(blocker(log));
        Task<String> w = spawn(waitFor(inner, sec(10)));
        await(sleep(sec(0.05)));
        w.cancel();
        try {
            await(w);
        } catch (CancelledError e) {
            print("  waiter cancelled:", w.isCancelled(), "inner cancelled:", inner.isCancelled(), log);
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
