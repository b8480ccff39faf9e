package dev.coro.sync;

import dev.coro.Awaitable;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.testing.TestBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
     * asyncio.gather(*args), the runtime's own ({@link Coro#gather(Awaitable...)}).
     *
     * @param args tasks, promises or coroutines (wrapped in tasks, in order)
     * @return the gathering promise
     */
    static Promise<List<Object>> gather(Awaitable<?>... args) {
        return Coro.gather(args);
    }

    /**
     * asyncio.gather(*args, return_exceptions=True), the runtime's own
     * ({@link Coro#gatherReturnExceptions(Awaitable...)}).
     *
     * @param args tasks, promises or coroutines
     * @return the gathering promise
     */
    static Promise<List<Object>> gatherReturnExceptions(Awaitable<?>... args) {
        return Coro.gatherReturnExceptions(args);
    }
}
