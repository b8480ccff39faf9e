package dev.coro.sync;

import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Lock;
import dev.coro.Task;
import dev.coro.spi.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Port of {@code scenario_33_lock_fairness.py}, every coroutine written by hand in the generated
 * frame shape ({@code async with lock} expanded into acquire / try / finally release).
 */
class Scenario33LockTest extends ScenarioBase {
    private final List<String> order = new ArrayList<>();

    /** The scenario's {@code KeyError("inside")}. */
    private static final class KeyError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyError(String message) {
            super(message);
        }
    }

    // async def user(lock, name, hold):
    //     print(f"{name}: acquiring (locked={lock.locked()})")
    //     try:
    //         async with lock:                                   # await lock.acquire(): state 1
    //             order.append(name)
    //             print(f"{name}: acquired")
    //             for _ in range(hold):
    //                 await asyncio.sleep(0)                     # state 2
    //             print(f"{name}: releasing")
    //     except asyncio.CancelledError:
    //         print(f"{name}: cancelled while waiting")
    //         raise
    Coroutine<Void> user(Lock lock, String name, int hold) {
        Frame<Void> frame = new Frame<>(this::userBody, 2, 2);
        Frame.putRef(lock, frame, 0);
        Frame.putRef(name, frame, 1);
        Frame.putInt(hold, frame, 0);
        return frame;
    }

    @SuppressWarnings("fallthrough")
    private Object userBody(Frame<?> frame) throws Throwable {
        Lock lock = (Lock) Frame.getRef(frame, 0);
        String name = (String) Frame.getRef(frame, 1);
        int hold = Frame.getInt(frame, 0);
        int resumedAt = frame.state;
        int i;
        try {
            switch (resumedAt) {
                case 0:
                    print(name + ": acquiring (locked=" + py(lock.locked()) + ")");
                    if (Frame.await(lock.acquire(), frame) == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                    // fall through: the lock is held
                case 1:
                    if (resumedAt == 1) {
                        frame.resumeValue(); // an exception here is raised by __aenter__: no release
                    }
                    order.add(name);
                    print(name + ": acquired");
                    i = 0;
                    break;
                case 2:
                    i = Frame.getInt(frame, 1);
                    try {
                        frame.resumeValue();
                    } catch (Throwable t) {
                        lock.release(); // __aexit__
                        throw t;
                    }
                    i++;
                    break;
                default:
                    throw new IllegalStateException("user: bad state " + frame.state);
            }
            try {
                for (; i < hold; i++) {
                    if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                        Frame.putInt(i, frame, 1);
                        frame.state = 2;
                        return Frame.SUSPENDED;
                    }
                }
                print(name + ": releasing");
            } catch (Throwable t) {
                lock.release(); // __aexit__
                throw t;
            }
            lock.release(); // __aexit__
            return null;
        } catch (CancelledError e) {
            print(name + ": cancelled while waiting");
            throw e;
        }
    }

    // async def main():
    //     lock = asyncio.Lock()
    //     ts = [asyncio.create_task(user(lock, n, 2)) for n in ("A", "B", "C")]
    //     while not (order == ["A"] and not lock.locked()):
    //         await asyncio.sleep(0)                                             # state 1
    //     print("main: A released; B woken but not running yet; locked =", lock.locked())
    //     await user(lock, "MAIN", 0)                                            # state 2
    //     await asyncio.gather(*ts)                                              # state 3
    //     print("order:", " ".join(order))
    //     order.clear()
    //     a, b, c = (asyncio.create_task(user(lock, n, h)) for n, h in (("X", 3), ("Y", 0), ("Z", 0)))
    //     await asyncio.sleep(0)                                                 # state 4
    //     await asyncio.sleep(0)                                                 # state 5
    //     b.cancel()
    //     await asyncio.gather(a, b, c, return_exceptions=True)                  # state 6
    //     print("order with Y cancelled:", " ".join(order))
    //     try:
    //         async with lock:                                                   # state 7
    //             raise KeyError("inside")
    //     except KeyError:
    //         print("after exception in async with: locked =", lock.locked())
    //     try:
    //         lock.release()
    //     except RuntimeError as e:
    //         print("release unlocked ->", repr(e))
    Coroutine<Void> main() {
        return new Frame<>(this::mainBody, 3, 0);
    }

    @SuppressWarnings("fallthrough")
    private Object mainBody(Frame<?> frame) throws Throwable {
        int resumedAt = frame.state;
        Lock lock = (Lock) Frame.getRef(frame, 0);
        Task<?>[] ts = (Task<?>[]) Frame.getRef(frame, 1);
        if (resumedAt != 0 && resumedAt != 7) {
            frame.resumeValue();
        }
        switch (resumedAt) {
            case 0:
                lock = new Lock();
                ts = new Task<?>[3];
                String[] names = {"A", "B", "C"};
                for (int n = 0; n < 3; n++) {
                    ts[n] = Coro.spawn(user(lock, names[n], 2));
                }
                Frame.putRef(lock, frame, 0);
                Frame.putRef(ts, frame, 1);
                // fall through: the while loop's condition
            case 1:
                while (!(order.equals(List.of("A")) && !lock.locked())) {
                    if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                }
                print("main: A released; B woken but not running yet; locked = " + py(lock.locked()));
                if (Frame.await(user(lock, "MAIN", 0), frame) == Frame.SUSPENDED) {
                    frame.state = 2;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 2:
                if (Frame.await(SyncTestBase.gather(ts), frame) == Frame.SUSPENDED) {
                    frame.state = 3;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 3:
                print("order: " + String.join(" ", order));
                order.clear();
                ts = new Task<?>[] {
                    Coro.spawn(user(lock, "X", 3)), Coro.spawn(user(lock, "Y", 0)), Coro.spawn(user(lock, "Z", 0))};
                Frame.putRef(ts, frame, 1);
                if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                    frame.state = 4;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 4:
                if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                    frame.state = 5;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 5:
                ts[1].cancel();
                if (Frame.await(SyncTestBase.gatherReturnExceptions(ts), frame) == Frame.SUSPENDED) {
                    frame.state = 6;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 6:
                print("order with Y cancelled: " + String.join(" ", order));
                try {
                    if (Frame.await(lock.acquire(), frame) == Frame.SUSPENDED) {
                        frame.state = 7;
                        return Frame.SUSPENDED;
                    }
                    insideAsyncWith(lock);
                } catch (KeyError e) {
                    print("after exception in async with: locked = " + py(lock.locked()));
                }
                break;
            case 7:
                try {
                    frame.resumeValue();
                    insideAsyncWith(lock);
                } catch (KeyError e) {
                    print("after exception in async with: locked = " + py(lock.locked()));
                }
                break;
            default:
                throw new IllegalStateException("main: bad state " + frame.state);
        }
        try {
            lock.release();
        } catch (IllegalStateException e) { // Python's RuntimeError
            print("release unlocked -> RuntimeError('" + e.getMessage() + "')");
        }
        return null;
    }

    /** The body of {@code async with lock: raise KeyError("inside")}, with its __aexit__. */
    private static void insideAsyncWith(Lock lock) {
        try {
            throw new KeyError("inside");
        } finally {
            lock.release();
        }
    }

    @Test
    void testScenario33_matchesCPythonTrace() {
        SyncTestBase.runTest(main());
        assertTrace("33_lock_fairness.txt");
    }
}
