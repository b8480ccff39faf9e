package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.waitFor;
import static dev.coro.conformance.Py.secs;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.TimeoutException;
import dev.coro.conformance.Errors.KeyError;

/**
 * Port of {@code scenario_23_wait_for_timeout.py}: on timeout waitFor cancels the inner coroutine,
 * waits for its cleanup, and raises TimeoutException caused by the CancelledError; a swallowed
 * cancel returns the value; another exception passes through.
 */
public final class Scenario23WaitForTimeout extends Scenario {
    double t0 = 0.0;

    double now() {
        return loop().time() - t0;
    }

    @Async
    Coroutine<String> plain(double delay, String value) {
        await(sleep(sec(delay)));
        return done(value);
    }

    @Async
    Coroutine<String> slowCleanup() {
        try {
            await(sleep(sec(10)));
        } catch (CancelledError e) {
            print("[" + secs(now()) + "]   inner: cleaning up for 0.2s");
            await(sleep(sec(0.2)));
            throw e;
        }
        return done(null);
    }

    @Async
    Coroutine<String> swallower() {
        try {
            await(sleep(sec(10)));
        } catch (CancelledError e) {
            print("[" + secs(now()) + "]   inner: swallowing");
            return done("late value");
        }
        return done(null);
    }

    @Async
    @SuppressWarnings("finally")
    Coroutine<String> raiser() {
        try {
            await(sleep(sec(10)));
        } finally {
            throw new KeyError("from cleanup");
        }
    }

    @Async
    Coroutine<Void> runCase(String label, Awaitable<?> aw, double timeout) {
        t0 = loop().time();
        print(label);
        try {
            Object r = await(waitFor(aw, sec(timeout)));
            print("[" + secs(now()) + "]   returned " + repr(r));
        } catch (TimeoutException e) {
            // Python also prints `asyncio.TimeoutError is TimeoutError` (an alias check, True since
            // 3.11); Coro has the single TimeoutException type, so that part is the constant True.
            print("[" + secs(now()) + "]   TimeoutError; is asyncio.TimeoutError: True; __cause__="
                    + repr(e.getCause()));
        } catch (KeyError e) {
            print("[" + secs(now()) + "]   " + repr(e));
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        await(runCase("a) completes in time", plain(0.1, "ok"), 0.5));
        await(runCase("b) times out", plain(1, "never"), 0.1));
        await(runCase("c) slow cleanup delays the TimeoutError", slowCleanup(), 0.1));
        await(runCase("d) inner swallows cancellation", swallower(), 0.1));
        await(runCase("e) inner raises while cancelled", raiser(), 0.1));
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
