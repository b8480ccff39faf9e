package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import java.util.List;

/**
 * Port of {@code scenario_11_gather_child_cancelled.py}: one child cancelled on its own makes the
 * awaiter of gather get {@code CancelledError}, while {@code gather.isCancelled()} is false.
 */
public final class Scenario11GatherChildCancelled extends Scenario {
    @Async
    Coroutine<String> sleeper(String name, double delay) {
        try {
            await(sleep(sec(delay)));
            print(name + " finished");
            return done(name);
        } catch (CancelledError e) {
            print(name + " got CancelledError");
            throw e;
        }
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        Task<String> t1 = spawn(sleeper("t1", 0.3));
        Task<String> t2 = spawn(sleeper("t2", 0.3));
        Promise<List<Object>> g = gather(t1, t2);
        loop.callLater(sec(0.1), () -> t1.cancel("only t1"));
        try {
            await(g);
        } catch (CancelledError e) {
            print("main got", repr(e));
        }
        Task<?> me = currentTask();
        print("main cancelling():", me.cancelling());
        print("g.done():", g.isDone(), "g.cancelled():", g.isCancelled());
        print("g.exception():", repr(g.exception()));
        print("t2 cancelled so far:", t2.isCancelled());
        await(t2);
        print("t2 result:", t2.result());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
