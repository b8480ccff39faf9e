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

/** Port of {@code scenario_14_cancel_before_start.py}: a task cancelled before its first step runs no line. */
public final class Scenario14CancelBeforeStart extends Scenario {
    @Async
    Coroutine<Void> body() {
        print("body: THIS MUST NOT PRINT");
        try {
            await(sleep(sec(1)));
        } finally {
            print("body finally: THIS MUST NOT PRINT EITHER");
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        Task<Void> t = spawn(body());
        print("cancel() ->", t.cancel("early"));
        print("cancelled() right after cancel():", t.isCancelled(), "cancelling():", t.cancelling());
        try {
            await(t);
        } catch (CancelledError e) {
            print("await t ->", repr(e));
        }
        print("t.cancelled():", t.isCancelled(), "t.done():", t.isDone());
        print("cancel() on a finished task ->", t.cancel());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
