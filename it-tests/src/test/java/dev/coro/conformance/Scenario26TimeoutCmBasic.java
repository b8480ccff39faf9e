package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.timeout;
import static dev.coro.Coro.timeoutAt;
import static dev.coro.conformance.Py.secs;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Task;
import dev.coro.Timeout;
import dev.coro.TimeoutException;
import java.time.Duration;

/**
 * Port of {@code scenario_26_timeout_cm_basic.py}: {@code asyncio.timeout()} is
 * {@code Coro.timeout(delay, cm -> ...)}; {@code async with ... as cm} keeps {@code cm} after the
 * block, so the port keeps the handle in a one-element array.
 */
public final class Scenario26TimeoutCmBasic extends Scenario {
    double t0 = 0.0;

    double now() {
        return loop().time() - t0;
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        Task<?> me = currentTask();
        t0 = loop.time();
        Timeout[] cm = new Timeout[1];

        print("a) deadline hits");
        try {
            await(timeout(sec(0.1), c -> {
                cm[0] = c;
                await(sleep(sec(1)));
                print("NOT REACHED");
                return done();
            }));
        } catch (TimeoutException e) {
            print("[" + secs(now()) + "]   TimeoutError cause=" + repr(e.getCause()) + " expired=" + str(cm[0].expired())
                    + " cancelling=" + me.cancelling());
        }

        print("b) finishes in time");
        await(timeout(sec(0.5), c -> {
            cm[0] = c;
            await(sleep(sec(0.1)));
            return done();
        }));
        print("[" + secs(now()) + "]   ok expired=" + str(cm[0].expired()));

        print("c) timeout(None)");
        await(timeout(null, c -> {
            cm[0] = c;
            await(sleep(sec(0.1)));
            return done();
        }));
        print("[" + secs(now()) + "]   ok when=" + str(cm[0].when()) + " expired=" + str(cm[0].expired()));

        print("d) reschedule to extend");
        try {
            await(timeout(sec(0.1), c -> {
                cm[0] = c;
                c.reschedule(loop.time() + 0.3);
                await(sleep(sec(0.2)));
                print("[" + secs(now()) + "]   survived past the original deadline");
                await(sleep(sec(1)));
                return done();
            }));
        } catch (TimeoutException e) {
            print("[" + secs(now()) + "]   TimeoutError at the new deadline");
        }

        print("e) timeout(0) + sleep(0)");
        try {
            await(timeout(Duration.ZERO, c -> {
                await(sleep(Duration.ZERO));
                print("NOT REACHED");
                return done();
            }));
        } catch (TimeoutException e) {
            print("[" + secs(now()) + "]   TimeoutError even with sleep(0)");
        }

        print("f) timeout_at in the past, no await inside");
        await(timeoutAt(loop.time() - 1, c -> {
            cm[0] = c;
            int x = 1 + 1;
            return done();
        }));
        print("   no await -> no cancellation point -> no error; expired=" + str(cm[0].expired()));
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
