package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Queue;
import dev.coro.QueueEmpty;
import dev.coro.QueueFull;
import dev.coro.Task;
import java.time.Duration;

/**
 * Port of {@code scenario_31_queue_producer_consumer.py}: {@code Queue(maxsize=2)}, iteration-exact
 * put/get interleaving, join/taskDone, QueueEmpty/QueueFull, an extra taskDone.
 */
public final class Scenario31QueueProducerConsumer extends Scenario {
    int tick = 0;
    boolean stop = false;

    void ticker(EventLoop loop) {
        tick += 1;
        if (!stop) {
            loop.callSoon(() -> ticker(loop));
        }
    }

    @Async
    Coroutine<Void> producer(Queue<Integer> q, int n) {
        for (int i = 0; i < n; i++) {
            print("[" + tick + "] producer: put(" + i + ") qsize=" + q.qsize() + " full=" + str(q.full()));
            await(q.put(i));
            print("[" + tick + "] producer: put(" + i + ") done qsize=" + q.qsize());
        }
        print("[" + tick + "] producer: finished");
        return done();
    }

    @Async
    Coroutine<Void> consumer(Queue<Integer> q, String name) {
        while (true) {
            int item = await(q.get());
            print("[" + tick + "] " + name + ": got " + item + " qsize=" + q.qsize());
            await(sleep(Duration.ZERO));
            q.taskDone();
        }
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.callSoon(() -> ticker(loop));
        Queue<Integer> q = new Queue<>(2);
        Task<Void> c = spawn(consumer(q, "consumer"));
        Task<Void> p = spawn(producer(q, 6));
        await(p);
        print("[" + tick + "] main: producer done, joining");
        await(q.join());
        print("[" + tick + "] main: join returned, qsize=" + q.qsize());
        c.cancel();
        try {
            await(c);
        } catch (CancelledError e) {
            print("[" + tick + "] main: consumer cancelled while blocked in get()");
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
        } catch (IllegalStateException e) {
            // asyncio raises ValueError here; Coro's Queue.taskDone() throws IllegalStateException.
            print("extra task_done ->", Py.reprAs("ValueError", e));
        }
        stop = true;
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
