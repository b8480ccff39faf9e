package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.secs;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Task;

/** Port of {@code scenario_04_seed_cancel_reraised.py}: the task re-raises the cancellation. */
public final class Scenario04SeedCancelReraised extends Scenario {
    @Async
    Coroutine<Void> longRunningTask() {
        try {
            print("Task started");
            await(sleep(sec(10)));
        } catch (CancelledError e) {
            print("Task was cancelled:", repr(e));
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        double t0 = loop.time();
        Task<Void> task = spawn(longRunningTask());
        await(sleep(sec(1)));
        task.cancel("stop please");
        try {
            await(task);
        } catch (CancelledError e) {
            print("Caught cancellation in main:", repr(e));
        }
        print("elapsed " + secs(loop.time() - t0));
        print("task.cancelled():", task.isCancelled());
        try {
            task.result();
        } catch (CancelledError e) {
            print("task.result() raises:", repr(e), "(message is delivered only once)");
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
