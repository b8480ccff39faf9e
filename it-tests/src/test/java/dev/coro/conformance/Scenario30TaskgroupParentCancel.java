package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.taskGroup;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.TaskGroupException;
import dev.coro.conformance.Errors.ZeroDivisionError;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Port of {@code scenario_30_taskgroup_parent_cancel.py}: an external cancel of the parent cancels
 * every child; a child failing while cancelled makes the ExceptionGroup win.
 */
public final class Scenario30TaskgroupParentCancel extends Scenario {
    final List<String> events = new ArrayList<>();

    @Async
    Coroutine<Void> child(String name, boolean failInCleanup) {
        try {
            await(sleep(sec(10)));
        } catch (CancelledError e) {
            events.add(name + " cancelled");
            if (failInCleanup) {
                throw new ZeroDivisionError(name);
            }
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> runner(boolean fail) {
        await(taskGroup(tg -> {
            for (int i = 0; i < 3; i++) {
                tg.spawn(child("c" + i, fail && i == 1));
            }
            try {
                await(sleep(sec(10)));
            } catch (CancelledError e) {
                events.add("body cancelled");
                throw e;
            }
            return done();
        }));
        return done();
    }

    @Async
    Coroutine<Void> main() {
        for (boolean fail : new boolean[] {false, true}) {
            events.clear();
            print("fail_in_cleanup=" + Py.str(fail));
            Task<Void> r = spawn(runner(fail));
            await(sleep(sec(0.1)));
            r.cancel();
            try {
                await(r);
            } catch (CancelledError e) {
                print("  runner raised CancelledError; cancelled():", r.isCancelled());
            } catch (TaskGroupException eg) {
                print("  runner raised ExceptionGroup:",
                        eg.exceptions().stream().map(Py::repr).collect(Collectors.joining(", ")),
                        "; cancelled():", r.isCancelled());
            }
            print("  events:", sorted(events));
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
