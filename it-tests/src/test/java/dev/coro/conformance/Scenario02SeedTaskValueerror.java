package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.conformance.Errors.ValueError;

/** Port of {@code scenario_02_seed_task_valueerror.py}: a task's exception re-raised by await. */
public final class Scenario02SeedTaskValueerror extends Scenario {
    @Async
    Coroutine<Void> faultyTask() {
        print("faulty_task: started");
        await(sleep(sec(0.1)));
        print("faulty_task: raising");
        throw new ValueError("Something went wrong");
    }

    @Async
    Coroutine<Void> main() {
        Task<Void> task = spawn(faultyTask());
        try {
            await(task);
        } catch (ValueError e) {
            print("Caught exception: " + str(e));
            print("same object as task.exception():", e == task.exception());
        }
        print("done:", task.isDone(), "cancelled:", task.isCancelled());
        print("exception:", repr(task.exception()));
        try {
            task.result();
        } catch (ValueError e) {
            print("task.result() re-raises:", repr(e));
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
