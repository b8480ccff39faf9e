package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gatherReturnExceptions;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.EventLoop;
import dev.coro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Port of {@code scenario_34_event.py}: set() wakes all waiters in order; clear() right after set()
 * does not un-wake them; waiting on a set event costs no iteration.
 */
public final class Scenario34Event extends Scenario {
    int tick = 0;
    boolean stop = false;

    void ticker(EventLoop loop) {
        tick += 1;
        if (!stop) {
            loop.callSoon(() -> ticker(loop));
        }
    }

    @Async
    Coroutine<Void> waiter(Event ev, String name) {
        try {
            boolean r = await(ev.waitUntilSet());
            print("[" + tick + "] " + name + " woke, wait() returned " + str(r));
        } catch (CancelledError e) {
            print("[" + tick + "] " + name + " cancelled");
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.callSoon(() -> ticker(loop));
        Event ev = new Event();
        List<Task<Void>> ws = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ws.add(spawn(waiter(ev, "W" + i)));
        }
        await(sleep(Duration.ZERO));
        ws.get(2).cancel();
        await(sleep(Duration.ZERO));
        print("[" + tick + "] main: set(); clear() in the same step; is_set=" + str(ev.isSet()));
        ev.set();
        ev.clear();
        await(gatherReturnExceptions(ws.toArray(new Awaitable<?>[0])));
        print("[" + tick + "] main: is_set after clear: " + str(ev.isSet()));

        Task<Void> late = spawn(waiter(ev, "LATE"));
        await(sleep(Duration.ZERO));
        print("[" + tick + "] main: LATE blocked: " + str(!late.isDone()));
        ev.set();
        await(late);
        int before = tick;
        boolean r = await(ev.waitUntilSet());
        print("[" + tick + "] main: wait() on set event -> " + str(r) + ", iterations spent: " + (tick - before));
        stop = true;
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
