package dev.coro.junit;

import dev.coro.Awaitable;
import dev.coro.EventLoop;
import dev.coro.Handle;
import dev.coro.Promise;
import java.time.Duration;

/**
 * The clock of a Coro test's loop, and control over it (kotlinx-coroutines-test's
 * {@code TestCoroutineScheduler}). Injected as a parameter of a {@link CoroTest} method.
 *
 * <p>A virtual-time loop already moves its clock by itself: when nothing is ready it jumps to the
 * next timer, so {@code await(sleep(Duration.ofHours(1)))} ends at once with {@link #now()} one hour
 * later. The clock's operations let the test stop in between and look:
 *
 * <pre>{@code
 * Task<Void> reminder = spawn(remindIn(Duration.ofSeconds(10)));   // sets `reminded` after 10 s
 * await(clock.advanceBy(Duration.ofSeconds(9)));
 * assertFalse(reminded);
 * await(clock.advanceBy(Duration.ofSeconds(1)));
 * assertTrue(reminded);                                            // everything due at 10 s has run
 * }</pre>
 *
 * <p>Each operation returns an awaitable that starts at once and completes when the loop has got
 * where it was asked to go; the awaiting task then resumes, in the iteration after. One operation
 * at a time. They exist only in a running Coro test: the test's driver checks them between loop
 * iterations.
 *
 * <table>
 *   <caption>The operations (the awaiting task resumes when ...)</caption>
 *   <tr><th>operation</th><th>... </th></tr>
 *   <tr><td>{@link #runCurrent()}</td><td>nothing is ready at the current time; the clock did not move</td></tr>
 *   <tr><td>{@link #advanceTo(Duration)}</td><td>the clock has moved, timer by timer, to the given time,
 *   and nothing is ready at it (timers due exactly then have run)</td></tr>
 *   <tr><td>{@link #advanceBy(Duration)}</td><td>as {@code advanceTo(now() + delay)}</td></tr>
 *   <tr><td>{@link #runUntilIdle()}</td><td>the loop is idle: no ready callback, no timer, no I/O, no
 *   outside work (the clock moves through every timer)</td></tr>
 * </table>
 */
public final class TestClock {
    /** What the pending operation waits for; see the class table. */
    private enum Goal { CURRENT, TIME, IDLE }

    private static final Runnable NO_OP = () -> { };

    private final EventLoop loop;
    private final boolean realTime;
    /** {@code loop.nanoTime()} when the test started: {@link #now()} counts from it. */
    private final long origin;

    // The pending operation: all null/0 when there is none.
    private Promise<Void> pending;
    private Goal goal;
    private long targetNanos;
    /** A no-op timer at the target: a virtual clock stops there rather than jump past it. */
    private Handle bound;

    TestClock(EventLoop loop, boolean realTime) {
        this.loop = loop;
        this.realTime = realTime;
        this.origin = loop.nanoTime();
    }

    /**
     * @return the time since the test started, on the test's clock (virtual time starts at zero)
     */
    public Duration now() {
        return Duration.ofNanos(loop.nanoTime() - origin);
    }

    /**
     * @return true if the test runs on a virtual clock
     */
    public boolean isVirtual() {
        return !realTime;
    }

    /**
     * Runs what is ready at the current time, and what that makes ready, without moving the clock.
     *
     * @return an awaitable that completes when nothing is ready at the current time
     * @throws IllegalStateException if another clock operation is pending
     */
    public Awaitable<Void> runCurrent() {
        return start(Goal.CURRENT, 0);
    }

    /**
     * Moves the clock by {@code delay}, running every timer due until then in order, the ones due
     * exactly then included, and what they make ready.
     *
     * @param delay how far; zero is {@link #runCurrent()}
     * @return an awaitable that completes at {@code now() + delay} when nothing is ready there
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws IllegalStateException if the test is {@link RealTime @RealTime}, or another clock
     *     operation is pending
     */
    public Awaitable<Void> advanceBy(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("advanceBy(" + delay + "): the clock only moves forward");
        }
        return advanceTo(now().plus(delay));
    }

    /**
     * Moves the clock to {@code time} (counted from the start of the test, as {@link #now()}),
     * running every timer due until then in order, the ones due exactly then included.
     *
     * @param time the time to reach
     * @return an awaitable that completes at {@code time} when nothing is ready there
     * @throws IllegalArgumentException if {@code time} is before {@link #now()}
     * @throws IllegalStateException if the test is {@link RealTime @RealTime}, or another clock
     *     operation is pending
     */
    public Awaitable<Void> advanceTo(Duration time) {
        if (realTime) {
            throw new IllegalStateException("advanceTo(" + time + ") in a @RealTime test: a real clock cannot be"
                    + " moved; sleep instead, or remove @RealTime to test on a virtual clock");
        }
        Duration now = now();
        if (time.compareTo(now) < 0) {
            throw new IllegalArgumentException("advanceTo(" + time + ") at " + now + ": the clock only moves forward");
        }
        return start(Goal.TIME, origin + time.toNanos());
    }

    /**
     * Runs the loop until it is idle: every ready callback, every timer (moving a virtual clock to
     * each), every I/O and outside job it waits for. A task that sleeps in a loop forever keeps it
     * from ever being idle (the test then fails on its time limit).
     *
     * @return an awaitable that completes when the loop is idle
     * @throws IllegalStateException if another clock operation is pending
     */
    public Awaitable<Void> runUntilIdle() {
        return start(Goal.IDLE, 0);
    }

    private Promise<Void> start(Goal newGoal, long target) {
        if (pending != null) {
            throw new IllegalStateException("TestClock." + describe(newGoal) + " while " + describe(goal)
                    + " is pending: await one clock operation before starting the next");
        }
        Promise<Void> promise = loop.createPromise();
        pending = promise;
        goal = newGoal;
        targetNanos = target;
        if (newGoal == Goal.TIME && target - loop.nanoTime() > 0) {
            bound = loop.callAtNanos(target, NO_OP);
        }
        // A cancelled await (the test's task cancelled) ends the operation.
        promise.addDoneCallback(p -> {
            if (pending == p) {
                clear();
            }
        });
        return promise;
    }

    /**
     * Called by the driver between two iterations: completes the pending operation if the loop
     * got where it was asked to go (see the class table). Order is important here: this runs
     * before the driver's deadlock check, so that an idle loop completes {@link #runUntilIdle()}.
     *
     * @return true if an operation was completed (its awaiting task is now ready)
     */
    boolean settle() {
        Promise<Void> p = pending;
        if (p == null) {
            return false;
        }
        boolean reached;
        switch (goal) {
            case CURRENT:
                reached = !loop.hasReadyWork();
                break;
            case TIME:
                reached = loop.nanoTime() - targetNanos >= 0 && !loop.hasReadyWork();
                break;
            case IDLE:
                reached = loop.isIdle();
                break;
            default:
                throw new AssertionError(goal);
        }
        if (!reached) {
            return false;
        }
        clear();
        p.setResult(null);
        return true;
    }

    private void clear() {
        if (bound != null) {
            bound.cancel();
        }
        pending = null;
        goal = null;
        bound = null;
        targetNanos = 0;
    }

    private String describe(Goal g) {
        switch (g) {
            case CURRENT:
                return "runCurrent()";
            case TIME:
                return "advanceTo(" + Duration.ofNanos(targetNanos - origin) + ")";
            default:
                return "runUntilIdle()";
        }
    }

    @Override
    public String toString() {
        return "TestClock[" + (realTime ? "real" : "virtual") + " " + now()
                + (pending != null ? ", " + describe(goal) + " pending" : "") + "]";
    }
}
