package dev.coro.sync;

import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Queue;
import dev.coro.QueueEmpty;
import dev.coro.QueueFull;
import dev.coro.Task;
import dev.coro.spi.Frame;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Port of {@code scenario_31_queue_producer_consumer.py}, every coroutine written by hand in the
 * generated frame shape: the entry {@code switch} on {@code frame.state} falls through to the code
 * after the await it resumes, values live across awaits are in the frame's slots.
 */
class Scenario31QueueTest extends ScenarioBase {

    // async def producer(q, n):
    //     for i in range(n):
    //         print(f"[{tick}] producer: put({i}) qsize={q.qsize()} full={q.full()}")
    //         await q.put(i)                                                     # state 1
    //         print(f"[{tick}] producer: put({i}) done qsize={q.qsize()}")
    //     print(f"[{tick}] producer: finished")
    Coroutine<Void> producer(Queue<Integer> q, int n) {
        Frame<Void> frame = new Frame<>(this::producerBody, 1, 2);
        Frame.putRef(q, frame, 0);
        Frame.putInt(n, frame, 0);
        return frame;
    }

    @SuppressWarnings({"unchecked", "fallthrough"})
    private Object producerBody(Frame<?> frame) throws Throwable {
        Queue<Integer> q = (Queue<Integer>) Frame.getRef(frame, 0);
        int n = Frame.getInt(frame, 0);
        int i;
        switch (frame.state) {
            case 0:
                i = 0;
                break;
            case 1:
                i = Frame.getInt(frame, 1);
                frame.resumeValue();
                print("[" + tick + "] producer: put(" + i + ") done qsize=" + q.qsize());
                i++;
                break;
            default:
                throw new IllegalStateException("producer: bad state " + frame.state);
        }
        for (; i < n; i++) {
            print("[" + tick + "] producer: put(" + i + ") qsize=" + q.qsize() + " full=" + py(q.full()));
            if (Frame.await(q.put(i), frame) == Frame.SUSPENDED) {
                Frame.putInt(i, frame, 1);
                frame.state = 1;
                return Frame.SUSPENDED;
            }
            print("[" + tick + "] producer: put(" + i + ") done qsize=" + q.qsize());
        }
        print("[" + tick + "] producer: finished");
        return null;
    }

    // async def consumer(q, name):
    //     while True:
    //         item = await q.get()                                               # state 1
    //         print(f"[{tick}] {name}: got {item} qsize={q.qsize()}")
    //         await asyncio.sleep(0)                                             # state 2
    //         q.task_done()
    Coroutine<Void> consumer(Queue<Integer> q, String name) {
        Frame<Void> frame = new Frame<>(this::consumerBody, 2, 0);
        Frame.putRef(q, frame, 0);
        Frame.putRef(name, frame, 1);
        return frame;
    }

    @SuppressWarnings({"unchecked", "fallthrough"})
    private Object consumerBody(Frame<?> frame) throws Throwable {
        Queue<Integer> q = (Queue<Integer>) Frame.getRef(frame, 0);
        String name = (String) Frame.getRef(frame, 1);
        int resumedAt = frame.state;
        Object value = resumedAt == 0 ? null : frame.resumeValue();
        int pc = resumedAt;
        for (;;) {
            switch (pc) {
                case 0:
                    value = Frame.await(q.get(), frame);
                    if (value == Frame.SUSPENDED) {
                        frame.state = 1;
                        return Frame.SUSPENDED;
                    }
                    // fall through: the item is in `value`
                case 1:
                    print("[" + tick + "] " + name + ": got " + value + " qsize=" + q.qsize());
                    if (Frame.await(Coro.sleep(Duration.ZERO), frame) == Frame.SUSPENDED) {
                        frame.state = 2;
                        return Frame.SUSPENDED;
                    }
                    // fall through
                case 2:
                    q.taskDone();
                    pc = 0;
                    break;
                default:
                    throw new IllegalStateException("consumer: bad state " + frame.state);
            }
        }
    }

    // async def main():
    //     loop.call_soon(ticker, loop)
    //     q = asyncio.Queue(maxsize=2)
    //     c = asyncio.create_task(consumer(q, "consumer"))
    //     p = asyncio.create_task(producer(q, 6))
    //     await p                                                                # state 1
    //     print(f"[{tick}] main: producer done, joining")
    //     await q.join()                                                         # state 2
    //     print(f"[{tick}] main: join returned, qsize={q.qsize()}")
    //     c.cancel()
    //     try:
    //         await c                                                            # state 3
    //     except asyncio.CancelledError:
    //         print(f"[{tick}] main: consumer cancelled while blocked in get()")
    //     ... the synchronous checks
    Coroutine<Void> main() {
        return new Frame<>(this::mainBody, 3, 0);
    }

    @SuppressWarnings({"unchecked", "fallthrough"})
    private Object mainBody(Frame<?> frame) throws Throwable {
        int resumedAt = frame.state;
        Queue<Integer> q = (Queue<Integer>) Frame.getRef(frame, 0);
        Task<Void> c = (Task<Void>) Frame.getRef(frame, 1);
        switch (resumedAt) {
            case 0: {
                startTicker(Coro.loop());
                q = new Queue<>(2);
                c = Coro.spawn(consumer(q, "consumer"));
                Task<Void> p = Coro.spawn(producer(q, 6));
                Frame.putRef(q, frame, 0);
                Frame.putRef(c, frame, 1);
                if (Frame.await(p, frame) == Frame.SUSPENDED) {
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
            }
            // fall through
            case 1:
                if (resumedAt == 1) {
                    frame.resumeValue();
                }
                print("[" + tick + "] main: producer done, joining");
                if (Frame.await(q.join(), frame) == Frame.SUSPENDED) {
                    frame.state = 2;
                    return Frame.SUSPENDED;
                }
                // fall through
            case 2:
                if (resumedAt == 2) {
                    frame.resumeValue();
                }
                print("[" + tick + "] main: join returned, qsize=" + q.qsize());
                c.cancel();
                try {
                    if (Frame.await(c, frame) == Frame.SUSPENDED) {
                        frame.state = 3;
                        return Frame.SUSPENDED;
                    }
                } catch (CancelledError e) {
                    print("[" + tick + "] main: consumer cancelled while blocked in get()");
                }
                break;
            case 3:
                try {
                    frame.resumeValue();
                } catch (CancelledError e) {
                    print("[" + tick + "] main: consumer cancelled while blocked in get()");
                }
                break;
            default:
                throw new IllegalStateException("main: bad state " + frame.state);
        }
        try {
            q.getNowait();
        } catch (QueueEmpty e) {
            print("get_nowait on empty -> QueueEmpty");
        }
        Queue<String> q2 = new Queue<>(1);
        q2.putNowait("x");
        try {
            q2.putNowait("y");
        } catch (QueueFull e) {
            print("put_nowait on full -> QueueFull");
        }
        try {
            for (int i = 0; i < 7; i++) {
                q.taskDone();
            }
        } catch (IllegalStateException e) { // Python's ValueError
            print("extra task_done -> ValueError('" + e.getMessage() + "')");
        }
        stop = true;
        return null;
    }

    @Test
    void testScenario31_matchesCPythonTrace() {
        SyncTestBase.runTest(main());
        assertTrace("31_queue_producer_consumer.txt");
    }
}
