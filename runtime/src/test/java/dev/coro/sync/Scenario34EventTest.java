package dev.coro.sync;

import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.Task;
import dev.coro.spi.Frame;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Port of {@code scenario_34_event.py}, every coroutine written by hand in the generated frame shape. */
class Scenario34EventTest extends ScenarioBase {

    // async def waiter(ev, name):
    //     try:
    //         r = await ev.wait()                                                # state 1
    //         print(f"[{tick}] {name} woke, wait() returned {r}")
    //     except asyncio.CancelledError:
    //         print(f"[{tick}] {name} cancelled")
    //         raise
    Coroutine<Void> waiter(Event ev, String name) {
        Frame<Void> frame = new Frame<>(this::waiterBody, 2, 0);
        Frame.putRef(ev, frame, 0);
        Frame.putRef(name, frame, 1);
        return frame;
    }

    @SuppressWarnings("fallthrough")
    private Object waiterBody(Frame<?> frame) throws Throwable {
        Event ev = (Event) Frame.getRef(frame, 0);
        String name = (String) Frame.getRef(frame, 1);
        try {
            Object r;
            switch (frame.state) {
                case 0:
                    r = Frame.await(ev.waitUntilSet(), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                    break;
                case 1:
                    r = frame.resumeValue();
                    break;
                default:
                    throw new IllegalStateException("waiter: bad state " + frame.state);
            }
            print("[" + tick + "] " + name + " woke, wait() returned " + py((Boolean) r));
            return null;
        } catch (CancelledError e) {
            print("[" + tick + "] " + name + " cancelled");
            throw e;
        }
    }

    // async def main():
    //     loop.call_soon(ticker, loop)
    //     ev = asyncio.Event()
    //     ws = [asyncio.create_task(waiter(ev, f"W{i}")) for i in range(4)]
    //     await asyncio.sleep(0)                                                 # state 1
    //     ws[2].cancel()
    //     await asyncio.sleep(0)                                                 # state 2
    //     print(f"[{tick}] main: set(); clear() in the same step; is_set={ev.is_set()}")
    //     ev.set()
    //     ev.clear()
    //     await asyncio.gather(*ws, return_exceptions=True)                      # state 3
    //     print(f"[{tick}] main: is_set after clear: {ev.is_set()}")
    //     late = asyncio.create_task(waiter(ev, "LATE"))
    //     await asyncio.sleep(0)                                                 # state 4
    //     print(f"[{tick}] main: LATE blocked: {not late.done()}")
    //     ev.set()
    //     await late                                                             # state 5
    //     before = tick
    //     r = await ev.wait()                                                    # state 6
    //     print(f"[{tick}] main: wait() on set event -> {r}, iterations spent: {tick - before}")
    //     stop = True
    Coroutine<Void> main() {
        return new Frame<>(this::mainBody, 3, 1);
    }

    @SuppressWarnings("fallthrough")
    private Object mainBody(Frame<?> frame) throws Throwable {
        int resumedAt = frame.state;
        Event ev = (Event) Frame.getRef(frame, 0);
        Task<?>[] ws = (Task<?>[]) Frame.getRef(frame, 1);
        Task<?> late = (Task<?>) Frame.getRef(frame, 2);
        Object r = resumedAt == 0 ? null : frame.resumeValue();
        switch (resumedAt) {
            case 0:
                startTicker(Coro.loop());
                ev = new Event();
                ws = new Task<?>[4];
                for (int i = 0; i < 4; i++) {
                    ws[i] = Coro.spawn(waiter(ev, "W" + i));
                }
                Frame.putRef(ev, frame, 0);
                Frame.putRef(ws, frame, 1);
                if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 1:
                ws[2].cancel();
                if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                    frame.state = 2;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 2:
                print("[" + tick + "] main: set(); clear() in the same step; is_set=" + py(ev.isSet()));
                ev.set();
                ev.clear();
                if (Frame.await(SyncTestBase.gatherReturnExceptions(ws), frame) == Frame.SUSPENDED) {
                    frame.state = 3;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 3:
                print("[" + tick + "] main: is_set after clear: " + py(ev.isSet()));
                late = Coro.spawn(waiter(ev, "LATE"));
                Frame.putRef(late, frame, 2);
                if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                    frame.state = 4;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 4:
                print("[" + tick + "] main: LATE blocked: " + py(!late.isDone()));
                ev.set();
                if (Frame.await(late, frame) == Frame.SUSPENDED) {
                    frame.state = 5;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 5:
                Frame.putInt(tick, frame, 0); // before = tick
                r = Frame.await(ev.waitUntilSet(), frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 6;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 6:
                int before = Frame.getInt(frame, 0);
                print("[" + tick + "] main: wait() on set event -> " + py((Boolean) r) + ", iterations spent: "
                        + (tick - before));
                stop = true;
                return null;
            default:
                throw new IllegalStateException("main: bad state " + frame.state);
        }
    }

    @Test
    void testScenario34_matchesCPythonTrace() {
        SyncTestBase.runTest(main());
        assertTrace("34_event.txt");
    }
}
