package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.toThread;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.ContextVar;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.EventLoop;
import dev.coro.Task;
import dev.coro.conformance.Errors.OSError;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Port of {@code scenario_38_to_thread.py}: results and exceptions cross threads; toThread copies
 * context variables, runInExecutor does not; cancelling the awaiter does not stop a running thread.
 * {@code threading.Event} is a {@link CountDownLatch}. This is the one port run on the real-time
 * loop: the script relies on 50 real milliseconds letting the worker thread start before it
 * cancels (on virtual time that wait takes no time and the cancel could beat the thread's start).
 */
public final class Scenario38ToThread extends Scenario {
    final ContextVar<String> var = new ContextVar<>("var", "unset");
    final CountDownLatch go = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);

    int blockingAdd(int a, int b) {
        return a + b;
    }

    int blockingFail() {
        throw new OSError("disk on fire");
    }

    String readVar() {
        return var.get();
    }

    String stubborn() throws InterruptedException {
        go.await();
        print("thread: stubborn() still ran to completion after the cancel");
        finished.countDown();
        return "ignored";
    }

    /**
     * {@code asyncio.to_thread} as a coroutine, for {@code create_task(to_thread(f))}:
     * {@link dev.coro.Coro#toThread} returns a promise and {@code spawn} takes a coroutine.
     */
    @Async
    <T> Coroutine<T> toThreadCoroutine(Callable<T> f) {
        return done(await(toThread(f)));
    }

    @Async
    Coroutine<Integer> ticker(Event stop) {
        int n = 0;
        while (!stop.isSet()) {
            n += 1;
            await(sleep(sec(0.01)));
        }
        return done(n);
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        var.set("main-value");
        print("to_thread result:", await(toThread(() -> blockingAdd(2, 3))));
        try {
            await(toThread(this::blockingFail));
        } catch (OSError e) {
            print("to_thread exception:", repr(e));
        }
        print("contextvar seen by to_thread:", await(toThread(this::readVar)));
        print("contextvar seen by run_in_executor:", await(loop.runInExecutor(null, this::readVar)));

        Event stop = new Event();
        Task<Integer> tickTask = spawn(ticker(stop));
        Task<String> threaded = spawn(toThreadCoroutine(() -> {
            new CountDownLatch(1).await(200, TimeUnit.MILLISECONDS);
            return "slept";
        }));
        String r = await(threaded);
        stop.set();
        int n = await(tickTask);
        print("loop kept running during the blocking call:", n > 5, "| result:", r);

        Task<String> t = spawn(toThreadCoroutine(this::stubborn));
        await(sleep(sec(0.05)));
        t.cancel();
        try {
            await(t);
        } catch (CancelledError e) {
            print("main: awaiting task cancelled:", t.isCancelled());
        }
        go.countDown();
        await(toThread(() -> {
            finished.await();
            return null;
        }));
        print("main: thread finished flag:", finished.getCount() == 0);
        return done();
    }

    @Override
    protected void script() {
        asyncioRunRealTime(main());
        print("asyncio.run returned");
    }
}
