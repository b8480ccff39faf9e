package dev.coro.sync;

import dev.coro.Awaitable;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.testing.TestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Timeline tests of the synchronisation primitives, on the virtual-time loop. */
abstract class SyncTestBase extends TestBase {
    /**
     * Runs {@code main} to completion on a new virtual-time loop, then closes the loop. A deadlock
     * (every task waiting for something that will never happen) fails the test instead of hanging
     * the build: the virtual-time loop then parks its thread forever, since another thread could
     * still call in, so a watchdog stops the loop once it sees the loop thread parked on several
     * consecutive checks. A running or merely slow loop is never parked, so this is not a timeout.
     *
     * @param main the main coroutine (or any awaitable)
     * @param <T> its result type
     * @return its result
     * @throws AssertionError if the loop deadlocked
     */
    static <T> T runTest(Awaitable<T> main) {
        EventLoop loop = EventLoop.virtualTime();
        Thread loopThread = Thread.currentThread();
        AtomicBoolean deadlocked = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            int parkedChecks = 0;
            try {
                while (parkedChecks < DEADLOCK_CHECKS) {
                    Thread.sleep(DEADLOCK_CHECK_MILLIS);
                    Thread.State state = loopThread.getState();
                    boolean parked = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
                    parkedChecks = parked ? parkedChecks + 1 : 0;
                }
                deadlocked.set(true);
                loop.callSoonThreadsafe(loop::stop);
            } catch (InterruptedException e) {
                // the test finished
            }
        }, "sync-test-deadlock-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            return loop.runUntilComplete(main);
        } catch (IllegalStateException e) {
            if (deadlocked.get()) {
                throw new AssertionError("Deadlock: every task is waiting and the loop has nothing to run "
                        + "(no ready callback, no timer); see the timeline steps for the last progress", e);
            }
            throw e;
        } finally {
            watchdog.interrupt();
            loop.close();
        }
    }

    private static final int DEADLOCK_CHECKS = 5;
    private static final long DEADLOCK_CHECK_MILLIS = 100;

    /** Like {@link #runTest(Coroutine)} for a script. @param main the script @param <T> its result type @return its result */
    static <T> T runTest(Script<T> main) {
        return runTest(main.coroutine());
    }

    /** @param script the task's code @param <T> its result type @return the new task (asyncio create_task) */
    static <T> Task<T> spawn(Script<T> script) {
        return Coro.spawn(script.coroutine());
    }

    /** @return {@code sleep(0)}: yields to the loop for exactly one iteration */
    static Coroutine<Void> yield0() {
        return Coro.sleep(Duration.ZERO);
    }

    /** @param awaitable what to await @return the step's request (shorthand) */
    static Script.Await await(dev.coro.Awaitable<?> awaitable) {
        return Script.await(awaitable);
    }

    /**
     * asyncio.gather(*args): a promise of the results in argument order; the first exception or
     * child cancellation fails it at once. Written here with CPython 3.13's algorithm
     * ({@code tasks.gather}'s {@code _done_callback}, done callbacks scheduled by the loop) so that
     * these tests keep asyncio's iteration counts without depending on the runtime's own gather.
     *
     * @param args tasks, promises or coroutines (wrapped in tasks, in order)
     * @return the gathering promise
     */
    static Promise<List<Object>> gather(Awaitable<?>... args) {
        return gather(false, args);
    }

    /**
     * asyncio.gather(*args, return_exceptions=True): exceptions (and {@code CancelledError("")}
     * for a cancelled child) take their place in the results.
     *
     * @param args tasks, promises or coroutines
     * @return the gathering promise
     */
    static Promise<List<Object>> gatherReturnExceptions(Awaitable<?>... args) {
        return gather(true, args);
    }

    private static Promise<List<Object>> gather(boolean returnExceptions, Awaitable<?>... args) {
        EventLoop loop = Coro.loop();
        Promise<List<Object>> outer = loop.createPromise();
        if (args.length == 0) {
            outer.setResult(new ArrayList<>());
            return outer;
        }
        List<Promise<?>> children = new ArrayList<>();
        List<Promise<?>> doneChildren = new ArrayList<>();
        Map<Awaitable<?>, Promise<?>> seen = new IdentityHashMap<>();
        int[] counts = {0, 0}; // futures, finished
        Consumer<Promise<?>> onDone = fut -> {
            counts[1]++;
            if (outer.isDone()) {
                if (!fut.isCancelled()) {
                    fut.exception(); // mark it retrieved
                }
                return;
            }
            if (!returnExceptions) {
                if (fut.isCancelled()) {
                    try {
                        fut.result();
                    } catch (CancelledError e) {
                        outer.setException(e);
                    }
                    return;
                }
                Throwable exception = fut.exception();
                if (exception != null) {
                    outer.setException(exception);
                    return;
                }
            }
            if (counts[1] == counts[0]) {
                List<Object> results = new ArrayList<>();
                for (Promise<?> child : children) {
                    if (child.isCancelled()) {
                        results.add(new CancelledError(""));
                    } else {
                        Throwable exception = child.exception();
                        results.add(exception != null ? exception : child.result());
                    }
                }
                outer.setResult(results);
            }
        };
        for (Awaitable<?> arg : args) {
            Promise<?> fut = seen.get(arg);
            if (fut == null) {
                fut = arg instanceof Promise ? (Promise<?>) arg : loop.spawn((Coroutine<?>) arg);
                counts[0]++;
                seen.put(arg, fut);
                if (fut.isDone()) {
                    doneChildren.add(fut);
                } else {
                    listen(fut, onDone);
                }
            }
            children.add(fut);
        }
        for (Promise<?> fut : doneChildren) {
            onDone.accept(fut);
        }
        return outer;
    }

    private static <T> void listen(Promise<T> promise, Consumer<Promise<?>> callback) {
        promise.addDoneCallback(callback::accept);
    }
}
