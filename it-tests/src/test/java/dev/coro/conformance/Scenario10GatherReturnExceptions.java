package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gatherReturnExceptions;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.conformance.Errors.ZeroDivisionError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Port of {@code scenario_10_gather_return_exceptions.py}: exceptions in the result list; a child
 * cancelled on its own shows as {@code CancelledError('')}.
 */
public final class Scenario10GatherReturnExceptions extends Scenario {
    @Async
    <T> Coroutine<T> ok(T v, double delay) {
        await(sleep(sec(delay)));
        return done(v);
    }

    @Async
    Coroutine<Object> bad(double delay) {
        await(sleep(sec(delay)));
        throw new ZeroDivisionError("bad child");
    }

    /** The script's {@code show(x)}: {@code TypeName(repr(arg), ...)} for exceptions, else repr. */
    String show(Object x) {
        if (x instanceof Throwable t) {
            return Py.typeName(t) + "(" + (t.getMessage() == null ? "" : repr(t.getMessage())) + ")";
        }
        return repr(x);
    }

    @Async
    Coroutine<Void> main() {
        Task<String> victim = spawn(ok("victim", 1.0));
        loop().callLater(sec(0.1), () -> victim.cancel("individual cancel"));
        List<Object> res = await(gatherReturnExceptions(ok(1, 0.2), bad(0.05), victim, ok(3, 0.15)));
        print("results:", res.stream().map(this::show).collect(Collectors.joining(", ")));
        print("victim.cancelled():", victim.isCancelled());
        print("current task cancelling():", currentTask().cancelling());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
