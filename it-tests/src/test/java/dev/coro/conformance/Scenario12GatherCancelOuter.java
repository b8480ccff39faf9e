package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.gatherReturnExceptions;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.Task;
import java.util.List;

/**
 * Port of {@code scenario_12_gather_cancel_outer.py}: cancelling the awaiter of gather, and
 * cancelling the gather future itself.
 */
public final class Scenario12GatherCancelOuter extends Scenario {
    @Async
    Coroutine<String> child(String name, boolean swallow) {
        try {
            await(sleep(sec(1)));
            return done(name);
        } catch (CancelledError e) {
            print("  " + name + ": " + repr(e));
            if (swallow) {
                await(sleep(sec(0.1)));
                print("  " + name + ": swallowed, returning normally");
                return done(name + "-survived");
            }
            throw e;
        }
    }

    static List<Boolean> cancelledFlags(List<Task<String>> kids) {
        return kids.stream().map(Task::isCancelled).toList();
    }

    static List<Boolean> doneFlags(List<Task<String>> kids) {
        return kids.stream().map(Task::isDone).toList();
    }

    @Async
    Coroutine<List<Object>> waiter(boolean returnExceptions) {
        List<Task<String>> kids = List.of(spawn(child("c1", false)),
                spawn(child("c2", true)),
                spawn(child("c3", false)));
        try {
            Awaitable<?>[] args = kids.toArray(new Awaitable<?>[0]);
            return done(await(returnExceptions ? gatherReturnExceptions(args) : gather(args)));
        } catch (CancelledError e) {
            print("  waiter: " + repr(e));
            print("  kids cancelled:", cancelledFlags(kids), "done:", doneFlags(kids));
            throw e;
        }
    }

    @Async
    Coroutine<Void> main() {
        for (boolean rexc : new boolean[] {false, true}) {
            print("(a) cancel awaiting task, return_exceptions=" + str(rexc));
            Task<List<Object>> t = spawn(waiter(rexc));
            await(sleep(sec(0.1)));
            print("  t.cancel() ->", t.cancel("outer msg"));
            try {
                await(t);
            } catch (CancelledError e) {
                print("  main: waiter task cancelled():", t.isCancelled());
            }
            await(sleep(sec(0.2)));
        }

        print("(b) gather_future.cancel() directly");
        List<Task<String>> kids = List.of(spawn(child("d1", false)), spawn(child("d2", false)));
        Promise<List<Object>> g = gather(kids.toArray(new Awaitable<?>[0]));
        await(sleep(sec(0.1)));
        print("  g.cancel() ->", g.cancel());
        try {
            await(g);
        } catch (CancelledError e) {
            print("  await g -> " + repr(e));
        }
        print("  g.cancelled():", g.isCancelled(), "kids cancelled:", cancelledFlags(kids));
        print("  g.cancel() again ->", g.cancel());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
