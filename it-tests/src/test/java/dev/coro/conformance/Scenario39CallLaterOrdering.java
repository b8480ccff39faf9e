package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Handle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Port of {@code scenario_39_call_later_ordering.py}: callSoon FIFO, then expired timers in deadline
 * order. The two "identical deadline" lines are implementation-defined (CPython's heapq order; Coro
 * runs equal deadlines FIFO) and skipped by {@link ConformanceTest}.
 */
public final class Scenario39CallLaterOrdering extends Scenario {
    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        List<Object> out = new ArrayList<>();
        loop.callLater(sec(0.03), () -> out.add("later-0.03"));
        loop.callLater(sec(0.01), () -> out.add("later-0.01"));
        loop.callLater(sec(0.02), () -> out.add("later-0.02"));
        Handle h = loop.callLater(sec(0.015), () -> out.add("cancelled-handle"));
        loop.callSoon(() -> out.add("soon-1"));
        loop.callLater(sec(0), () -> out.add("later-0"));
        loop.callLater(sec(-1), () -> out.add("later-negative"));
        loop.callSoon(() -> out.add("soon-2"));
        h.cancel();
        await(sleep(sec(0.05)));
        print("mixed:", join(" ", out));

        out.clear();
        for (int i = 0; i < 5; i++) {
            int j = i;
            loop.callLater(sec(0.01), () -> out.add(j));
        }
        await(sleep(sec(0.05)));
        print("same delay, sequential registration:", out);

        out.clear();
        double when = loop.time() + 0.01;
        for (int i = 0; i < 10; i++) {
            int j = i;
            loop.callAt(when, () -> out.add(j));
        }
        await(sleep(sec(0.05)));
        print("identical deadline (heap order):", out);

        out.clear();
        when = loop.time() + 0.01;
        for (int i = 0; i < 3; i++) {
            int j = i;
            loop.callAt(when, () -> out.add(j));
        }
        await(sleep(sec(0.05)));
        print("identical deadline, 3 handles:", out);

        // A timer that fires in the same iteration as a ready callback queued before it:
        // ready-queue items first, then the expired timers.
        out.clear();
        Runnable first = () -> out.add("first (call_soon from timer A)");
        Runnable timerA = () -> {
            out.add("timer A");
            loop.callSoon(first);
        };
        when = loop.time() + 0.01;
        loop.callAt(when, timerA);
        loop.callAt(when, () -> out.add("timer B"));
        await(sleep(sec(0.05)));
        print("timer then call_soon:", join(" | ", out));
        return done();
    }

    static String join(String sep, List<Object> items) {
        return items.stream().map(Py::str).collect(Collectors.joining(sep));
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
