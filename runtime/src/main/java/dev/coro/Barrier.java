package dev.coro;

import dev.coro.internal.sync.Guarded;
import dev.coro.spi.Frame;
import java.util.function.BooleanSupplier;

/**
 * asyncio.Barrier: makes {@link #parties()} tasks wait for each other. Each task calls
 * {@link #arrive()} (asyncio {@code await barrier.wait()}, renamed because {@link Object#wait()}
 * is final); when the last one arrives all of them continue, each with a distinct index
 * {@code 0 .. parties-1} (the arrival order). The barrier can then be used again.
 *
 * <h2>States</h2>
 * <table>
 *   <caption>barrier states</caption>
 *   <tr><th>state</th><th>meaning</th><th>next</th></tr>
 *   <tr><td>FILLING</td><td>tasks are arriving and wait</td>
 *       <td>DRAINING when the last party arrives; RESETTING/BROKEN by reset()/abort()</td></tr>
 *   <tr><td>DRAINING</td><td>the parties are leaving; new arrivals wait until it is empty</td>
 *       <td>FILLING when the last party has left</td></tr>
 *   <tr><td>RESETTING</td><td>reset() while tasks were waiting: they get BrokenBarrierError</td>
 *       <td>FILLING when the last of them has left</td></tr>
 *   <tr><td>BROKEN</td><td>abort(): every waiting and arriving task gets BrokenBarrierError</td>
 *       <td>FILLING by reset()</td></tr>
 * </table>
 *
 * <p>Built, as in CPython, on a {@link Condition}: every step runs holding its lock, so each
 * wake-up costs the iterations of the lock hand-over. All methods must be called on the loop
 * thread.
 */
public final class Barrier {
    // The state machine above; `count` is the number of tasks inside arrive() past the block.
    private static final int FILLING = 0;
    private static final int DRAINING = 1;
    private static final int RESETTING = 2;
    private static final int BROKEN = 3;
    private static final String[] STATE_NAMES = {"filling", "draining", "resetting", "broken"};

    private final Condition cond = new Condition();
    private final int parties;
    private int state = FILLING;
    private int count;
    private final BooleanSupplier notDrainingOrResetting = () -> state != DRAINING && state != RESETTING;
    private final BooleanSupplier notFilling = () -> state != FILLING;

    /**
     * Creates a barrier.
     *
     * @param parties how many tasks must arrive before all continue
     * @throws IllegalArgumentException if {@code parties < 1}
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0, got " + parties);
        }
        this.parties = parties;
    }

    /** @return the number of tasks needed to pass the barrier */
    public int parties() {
        return parties;
    }

    /** @return the number of tasks waiting in the barrier while it fills (asyncio {@code n_waiting}), else 0 */
    public int nWaiting() {
        return state == FILLING ? count : 0;
    }

    /** @return {@code true} if the barrier is broken (asyncio {@code broken}) */
    public boolean isBroken() {
        return state == BROKEN;
    }

    /**
     * Waits at the barrier (asyncio {@code await barrier.wait()}). Blocks first while a previous
     * round drains or resets; then waits until {@link #parties()} tasks have arrived.
     *
     * @return a coroutine that completes with this task's index, {@code 0 .. parties-1}, or fails
     *     with {@link BrokenBarrierError} if the barrier is broken or is reset/aborted while this
     *     task waits
     */
    public Coroutine<Integer> arrive() {
        Frame<Integer> frame = new Frame<>(Barrier::arriveBody, 1, 1);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of arrive(): ref 0 = the barrier; prim 0 = this task's index (state 3).
    //   state 0: not started
    //   state 1: suspended in `async with self._cond` (acquiring the lock)
    //   state 2: suspended in _block(): cond.wait_for(not draining/resetting)
    //   state 3: suspended in _wait():  cond.wait_for(not filling)
    private static Object arriveBody(Frame<?> frame) throws Throwable {
        Barrier self = (Barrier) Frame.getRef(frame, 0);
        switch (frame.state) {
            case 0:
                // An exception from __aenter__ propagates without __aexit__.
                if (Frame.await(self.cond.acquire(), frame) == Frame.SUSPENDED) {
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
                return self.block(frame);
            case 1:
                frame.resumeValue();
                return self.block(frame);
            case 2:
                try {
                    frame.resumeValue();
                } catch (Throwable t) {
                    self.cond.release();
                    throw t;
                }
                return self.enter(frame);
            case 3: {
                int index = Frame.getInt(frame, 0);
                try {
                    frame.resumeValue();
                    self.checkReleased();
                } catch (Throwable t) {
                    self.leave();
                    throw t;
                }
                self.leave();
                return index;
            }
            default:
                throw Guarded.badState("Barrier.arrive", frame.state);
        }
    }

    /** _block(): wait while the barrier drains or resets, then fail if it is broken. */
    private Object block(Frame<?> frame) throws Throwable {
        try {
            if (Frame.await(cond.waitFor(notDrainingOrResetting), frame) == Frame.SUSPENDED) {
                frame.state = 2;
                return Frame.SUSPENDED;
            }
        } catch (Throwable t) {
            cond.release();
            throw t;
        }
        return enter(frame);
    }

    /** The body after _block(): take an index, then trip the barrier or wait for it. */
    private Object enter(Frame<?> frame) throws Throwable {
        if (state == BROKEN) {
            cond.release();
            throw new BrokenBarrierError("Barrier aborted");
        }
        int index = count;
        count++;
        try {
            if (index + 1 == parties) {
                // _release(): the last party drains the barrier.
                state = DRAINING;
                cond.notifyAllWaiters();
            } else {
                if (Frame.await(cond.waitFor(notFilling), frame) == Frame.SUSPENDED) {
                    Frame.putInt(index, frame, 0);
                    frame.state = 3;
                    return Frame.SUSPENDED;
                }
                checkReleased();
            }
        } catch (Throwable t) {
            leave();
            throw t;
        }
        leave();
        return index;
    }

    /** The end of _wait(): released by a reset or an abort rather than by the last party. */
    private void checkReleased() {
        if (state == BROKEN || state == RESETTING) {
            throw new BrokenBarrierError("Abort or reset of barrier");
        }
    }

    /** The `finally` of wait() (count -= 1; _exit()) followed by `async with`'s release. */
    private void leave() {
        count--;
        // _exit(): the last task out ends draining/resetting and wakes the tasks blocked on it.
        if (count == 0) {
            if (state == RESETTING || state == DRAINING) {
                state = FILLING;
            }
            cond.notifyAllWaiters();
        }
        cond.release();
    }

    /**
     * Resets the barrier to its initial, filling state (asyncio {@code await barrier.reset()}).
     * Tasks waiting in it get {@link BrokenBarrierError}; a broken barrier becomes usable again.
     *
     * @return a coroutine that completes once the barrier was reset
     */
    public Coroutine<Void> reset() {
        return change(/* abort = */ false);
    }

    /**
     * Breaks the barrier (asyncio {@code await barrier.abort()}): tasks waiting in it and tasks
     * arriving later get {@link BrokenBarrierError}, until {@link #reset()}.
     *
     * @return a coroutine that completes once the barrier is broken
     */
    public Coroutine<Void> abort() {
        return change(/* abort = */ true);
    }

    private Coroutine<Void> change(boolean abort) {
        Frame<Void> frame = new Frame<>(Barrier::changeBody, 1, 1);
        Frame.putRef(this, frame, 0);
        Frame.putInt(abort ? 1 : 0, frame, 0);
        return frame;
    }

    // Frame of reset()/abort(): ref 0 = the barrier, prim 0 = 1 for abort.
    // state 0: not started; state 1: suspended in `async with self._cond`.
    private static Object changeBody(Frame<?> frame) throws Throwable {
        Barrier self = (Barrier) Frame.getRef(frame, 0);
        switch (frame.state) {
            case 0:
                if (Frame.await(self.cond.acquire(), frame) == Frame.SUSPENDED) {
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
                break;
            case 1:
                frame.resumeValue();
                break;
            default:
                throw Guarded.badState(Frame.getInt(frame, 0) == 1 ? "Barrier.abort" : "Barrier.reset", frame.state);
        }
        try {
            if (Frame.getInt(frame, 0) == 1) {
                self.state = BROKEN;
            } else if (self.count > 0) {
                // Reset the barrier, waking up the tasks inside it.
                self.state = RESETTING;
            } else {
                self.state = FILLING;
            }
            self.cond.notifyAllWaiters();
        } finally {
            self.cond.release();
        }
        return null;
    }

    /** @return e.g. {@code Barrier[filling, waiters:1/3]} or {@code Barrier[broken]} */
    @Override
    public String toString() {
        String extra = STATE_NAMES[state];
        if (state != BROKEN) {
            extra += ", waiters:" + nWaiting() + "/" + parties;
        }
        return "Barrier[" + extra + "]";
    }
}
