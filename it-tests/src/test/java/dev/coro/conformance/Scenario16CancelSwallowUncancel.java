package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Port of {@code scenario_16_cancel_swallow_uncancel.py}: a swallowed cancel leaves
 * {@code cancelling()} at 1 until {@code uncancel()}; it never goes below 0.
 */
public final class Scenario16CancelSwallowUncancel extends Scenario {
    @Async
    Coroutine<String> worker(boolean doUncancel) {
        Task<?> me = currentTask();
        try {
            await(sleep(sec(1)));
        } catch (CancelledError e) {
            print("  caught; cancelling() = " + me.cancelling());
            if (doUncancel) {
                print("  uncancel() -> " + me.uncancel());
                print("  uncancel() again -> " + me.uncancel());
            }
        }
        await(sleep(sec(0.1)));
        print("  second await completed normally; cancelling() = " + me.cancelling());
        return done("finished");
    }

    @Async
    Coroutine<Void> main() {
        for (boolean doUncancel : new boolean[] {false, true}) {
            print("do_uncancel=" + str(doUncancel));
            Task<String> t = spawn(worker(doUncancel));
            await(sleep(sec(0.05)));
            t.cancel();
            String r = await(t);
            print("  result=" + repr(r) + " cancelled()=" + str(t.isCancelled()) + " cancelling()=" + t.cancelling());
        }

        Supplier<Coroutine<Void>> dies = () -> {
            await(sleep(sec(1)));
            return done();
        };

        Task<Void> t = spawn(dies.get());
        await(sleep(Duration.ZERO));
        t.cancel();
        try {
            await(t);
        } catch (CancelledError e) {
            // pass
        }
        print("finished-cancelled task: cancelling() =", t.cancelling(),
                "uncancel() ->", t.uncancel(), "cancelled() =", t.isCancelled());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
