package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import java.util.List;

/** Port of {@code scenario_08_gather_order.py}: gather results are in argument order. */
public final class Scenario08GatherOrder extends Scenario {
    @Async
    Coroutine<String> job(String name, double delay) {
        print("start " + name);
        await(sleep(sec(delay)));
        print("finish " + name);
        return done(name);
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        List<Object> res = await(gather(job("slow", 0.3), job("fast", 0.1), job("mid", 0.2)));
        print("results:", res);

        Task<String> t = spawn(job("shared", 0.1));
        res = await(gather(t, t, job("other", 0.05)));
        print("results with duplicate task:", res);

        print("empty gather:", await(gather()));

        Promise<String> fut = loop.createPromise();
        loop.callLater(sec(0.1), () -> fut.setResult("from-future"));
        res = await(gather(fut, job("coro", 0.05)));
        print("future + coroutine:", res);
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
