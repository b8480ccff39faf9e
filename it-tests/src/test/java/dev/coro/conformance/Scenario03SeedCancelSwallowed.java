package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;

/**
 * Port of {@code scenario_03_seed_cancel_swallowed.py}: article example 3 as written; the task
 * swallows the cancellation, so main never sees it.
 */
public final class Scenario03SeedCancelSwallowed extends Scenario {
    @Async
    Coroutine<Void> longRunningTask() {
        try {
            print("Task started");
            await(sleep(sec(10)));
            print("Task finished");
        } catch (CancelledError e) {
            print("Task was cancelled");
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        Task<Void> task = spawn(longRunningTask());
        await(sleep(sec(1)));
        task.cancel();
        try {
            await(task);
        } catch (CancelledError e) {
            print("Caught cancellation in main");
        }
        print("--- diagnostics");
        print("task.cancelled():", task.isCancelled());
        print("task.result():", task.result());
        print("task.cancelling():", task.cancelling());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
        print("main returned normally");
    }
}
