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
import dev.coro.Task;
import java.time.Duration;

/** Port of {@code scenario_05_ready_queue_fifo.py}: FIFO ready queue, tasks and callbacks interleave. */
public final class Scenario05ReadyQueueFifo extends Scenario {
    @Async
    Coroutine<Void> worker(String name, int rounds) {
        for (int i = 0; i < rounds; i++) {
            print(name + " step " + i);
            await(sleep(Duration.ZERO));
        }
        print(name + " done");
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.callSoon(() -> print("callback 1"));
        Task<Void> ta = spawn(worker("A", 3));
        loop.callSoon(() -> print("callback 2"));
        Task<Void> tb = spawn(worker("B", 2));
        Task<Void> tc = spawn(worker("C", 1));
        loop.callSoon(() -> print("callback 3"));
        print("main: created everything, still running synchronously");
        await(sleep(Duration.ZERO));
        print("main: after first sleep(0)");
        await(gather(ta, tb, tc));
        print("main: all done");
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
