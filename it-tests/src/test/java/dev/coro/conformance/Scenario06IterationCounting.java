package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import java.time.Duration;
import java.util.List;

/**
 * Port of {@code scenario_06_iteration_counting.py}: how many loop iterations each primitive costs,
 * counted by a callback that re-arms itself with {@code callSoon}.
 */
public final class Scenario06IterationCounting extends Scenario {
    int tick = 0;

    void ticker(EventLoop loop) {
        tick += 1;
        loop.callSoon(() -> ticker(loop));
    }

    void log(String msg) {
        print("[tick " + tick + "] " + msg);
    }

    @Async
    Coroutine<String> child(String name) {
        log(name + " first step");
        return done(name);
    }

    @Async
    Coroutine<Integer> plain() {
        log("plain coroutine body (same task, no scheduling)");
        return done(1);
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.callSoon(() -> ticker(loop));
        await(sleep(Duration.ZERO));
        log("main start");

        await(plain());
        log("after await plain()");

        await(sleep(Duration.ZERO));
        log("after sleep(0)");

        Task<String> t = spawn(child("T"));
        log("created T");
        await(sleep(Duration.ZERO));
        log("after sleep(0) following create_task");

        Task<String> t2 = spawn(child("T2"));
        log("created T2, awaiting it");
        String r = await(t2);
        log("await T2 returned " + r);

        Promise<String> fut = loop.createPromise();
        loop.callSoon(() -> {
            log("setting fut result");
            fut.setResult("F");
        });
        r = await(fut);
        log("await fut returned " + r);

        log("calling gather");
        List<Object> g = await(gather(child("G1"), child("G2")));
        log("gather returned " + str(g));
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
