package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.time.Duration;

/**
 * Port of {@code scenario_15_cancel_twice.py}: a second cancel() returns true and counts, but only
 * one CancelledError is delivered; requests are not queued across a swallow.
 */
public final class Scenario15CancelTwice extends Scenario {
    @Async
    Coroutine<Integer> sleeper(String tag) {
        int n = 0;
        while (true) {
            try {
                await(sleep(sec(1)));
                print(tag + ": woke up normally");
                return done(n);
            } catch (CancelledError e) {
                n += 1;
                print(tag + ": CancelledError #" + n + " " + repr(e));
                if (n >= 2) {
                    throw e;
                }
            }
        }
    }

    @Async
    Coroutine<Void> main() {
        Task<Integer> t = spawn(sleeper("A"));
        await(sleep(Duration.ZERO));
        print("A cancel #1 ->", t.cancel("one"));
        print("A cancel #2 ->", t.cancel("two"));
        print("A cancelling():", t.cancelling());
        print("A result:", await(t), "cancelled():", t.isCancelled());
        print("A cancel after done ->", t.cancel(), "cancelling():", t.cancelling());

        t = spawn(sleeper("B"));
        await(sleep(Duration.ZERO));
        t.cancel("first");
        await(sleep(sec(0.1)));
        print("B cancelling() after swallow:", t.cancelling());
        t.cancel("second");
        try {
            await(t);
        } catch (CancelledError e) {
            print("B ended cancelled:", t.isCancelled(), repr(e), "cancelling():", t.cancelling());
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
