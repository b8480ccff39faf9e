package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.taskGroup;
import static dev.coro.conformance.Py.secs;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.TaskGroup;
import dev.coro.TaskGroupException;
import dev.coro.conformance.Errors.ValueError;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Port of {@code scenario_28_taskgroup_first_error.py}: the first child error cancels the siblings
 * and the body; the group raises {@code TaskGroupException} (ExceptionGroup); the parent is
 * uncancelled. {@code except* ValueError} is a catch of {@code TaskGroupException} that keeps the
 * {@code ValueError}s and re-throws the group if there are none.
 */
public final class Scenario28TaskgroupFirstError extends Scenario {
    double t0 = 0.0;

    double now() {
        return loop().time() - t0;
    }

    @Async
    Coroutine<String> quick() {
        await(sleep(sec(0.05)));
        print("[" + secs(now()) + "] quick: done");
        return done("quick-result");
    }

    @Async
    Coroutine<Void> failing() {
        await(sleep(sec(0.1)));
        print("[" + secs(now()) + "] failing: raising ValueError");
        throw new ValueError("boom");
    }

    @Async
    Coroutine<Void> sibling() {
        try {
            await(sleep(sec(1)));
        } catch (CancelledError e) {
            print("[" + secs(now()) + "] sibling: cancelled");
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        t0 = loop().time();
        Task<?> me = currentTask();
        // `async with TaskGroup() as tg` binds tg, q and s in main's scope; a lambda body cannot
        // assign main's locals, so they are holders.
        AtomicReference<TaskGroup> tgRef = new AtomicReference<>();
        AtomicReference<Task<String>> q = new AtomicReference<>();
        AtomicReference<Task<Void>> s = new AtomicReference<>();
        try {
            await(taskGroup(tg -> {
                tgRef.set(tg);
                q.set(tg.spawn(quick()));
                tg.spawn(failing());
                s.set(tg.spawn(sibling()));
                try {
                    await(sleep(sec(1)));
                    print("body: NOT REACHED");
                } catch (CancelledError e) {
                    print("[" + secs(now()) + "] body: CancelledError at its await (cancelling=" + me.cancelling() + ")");
                    Coroutine<String> coro = quick();
                    try {
                        tg.spawn(coro);
                    } catch (IllegalStateException ex) {
                        // coro.close(): a Coro coroutine that never started holds nothing to close.
                        print("[" + secs(now()) + "] body: create_task during abort -> RuntimeError ('shutting down' in msg: "
                                + str(ex.getMessage().contains("shutting down")) + ")");
                    }
                    throw e;
                }
                print("body: NOT REACHED either");
                return done();
            }));
        } catch (TaskGroupException eg) {
            List<Throwable> valueErrors = eg.exceptions().stream().filter(x -> x instanceof ValueError).toList();
            if (valueErrors.isEmpty()) {
                throw eg;
            }
            print("[" + secs(now()) + "] caught " + Py.typeName(eg) + ": " + repr(eg.getMessage()) + " ["
                    + valueErrors.stream().map(Py::repr).collect(Collectors.joining(", ")) + "]");
        }
        print("[" + secs(now()) + "] after TaskGroup: cancelling=" + me.cancelling() + " cancelled=" + str(me.isCancelled()));
        print("quick result kept:", q.get().result(), "| sibling cancelled:", s.get().isCancelled());
        await(sleep(sec(0.05)));
        print("[" + secs(now()) + "] parent continues normally");
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
