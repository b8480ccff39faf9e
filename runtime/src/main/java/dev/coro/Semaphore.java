package dev.coro;

import dev.coro.internal.sync.Guarded;
import dev.coro.internal.sync.LoopBinding;
import dev.coro.internal.sync.WaiterAwait;
import dev.coro.spi.Frame;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * asyncio.Semaphore: a counter of permits for tasks of one event loop. {@link #acquire()} takes a
 * permit, waiting while none is free; {@link #release()} gives one back.
 *
 * <h2>Fairness (exactly CPython 3.13)</h2>
 * <ul>
 *   <li>{@link #locked()} is true when no permit is free <b>or</b> a live (not cancelled) waiter
 *       is queued, and {@code acquire()} only takes the fast path when it is false: newcomers
 *       queue behind waiters even when a permit is free.</li>
 *   <li>{@code release()} hands the permit to the first waiter that is not yet woken: the counter
 *       is decremented on that waiter's behalf at once, so the permit cannot be taken by a
 *       newcomer before the waiter's task runs.</li>
 *   <li>A waiter cancelled after it was handed a permit gives it back; whenever a waiter leaves
 *       (acquired or cancelled) it wakes as many queued waiters as there are free permits.</li>
 * </ul>
 *
 * <p>{@link #release()} never fails here (the counter may exceed the initial value); use
 * {@link BoundedSemaphore} to catch extra releases. All methods must be called on the loop
 * thread.
 */
public class Semaphore {
    /**
     * Waiter promises in arrival order; each is removed by its own task when it resumes. Created on
     * first contention ({@code null} before), as in CPython.
     */
    private ArrayDeque<Promise<Boolean>> waiters;
    /** Free permits, already net of the permits handed to woken waiters that have not run yet. */
    int value;
    private EventLoop loop;

    /** Creates a semaphore with one permit (a lock that need not be released by its holder). */
    public Semaphore() {
        this(1);
    }

    /**
     * Creates a semaphore.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
    }

    /**
     * The number of free permits (asyncio's private {@code _value}). It is already decremented for
     * waiters that were handed a permit but have not run yet.
     *
     * @return the number of free permits
     */
    public final int value() {
        return value;
    }

    /**
     * Tells whether {@link #acquire()} would have to wait: no free permit, or a live waiter queued
     * ahead (asyncio {@code locked()}).
     *
     * @return {@code true} if an acquire now would suspend
     */
    public final boolean locked() {
        if (value == 0) {
            return true;
        }
        if (waiters == null) {
            return false;
        }
        for (Promise<Boolean> waiter : waiters) {
            if (!waiter.isCancelled()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a permit (asyncio {@code await sem.acquire()}): at once, without suspending, if
     * {@link #locked()} is false when the coroutine is awaited; otherwise the task queues until a
     * {@link #release()} hands it a permit.
     *
     * <p>Cancellation while queued: the task leaves the queue, gives back the permit if it had
     * already been handed one, and the {@link CancelledError} propagates.
     *
     * @return a coroutine that completes with {@code true} once the permit is held
     */
    public final Coroutine<Boolean> acquire() {
        Frame<Boolean> frame = new Frame<>(Semaphore::acquireBody, 2, 0);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of acquire(): ref 0 = the semaphore, ref 1 = the waiter promise while suspended.
    // state 0: not started; state 1: suspended in `await fut`.
    @SuppressWarnings("unchecked")
    private static Object acquireBody(Frame<?> frame) throws Throwable {
        Semaphore self = (Semaphore) Frame.getRef(frame, 0);
        Promise<Boolean> fut;
        Throwable error = null;
        switch (frame.state) {
            case 0:
                if (!self.locked()) {
                    // Maintain FIFO: the fast path needs no live waiter, even with value > 0.
                    self.value--;
                    return Boolean.TRUE;
                }
                self.loop = LoopBinding.bind(self.loop, self);
                fut = self.loop.createPromise();
                if (self.waiters == null) {
                    self.waiters = new ArrayDeque<>();
                }
                self.waiters.addLast(fut);
                Object started = WaiterAwait.start(fut, frame);
                if (started == Frame.SUSPENDED) {
                    return Frame.SUSPENDED;
                }
                error = (Throwable) started;
                break;
            case 1:
                fut = WaiterAwait.waiter(frame);
                error = WaiterAwait.resume(frame);
                break;
            default:
                throw Guarded.badState("Semaphore.acquire", frame.state);
        }
        // finally: self._waiters.remove(fut)
        self.waiters.removeFirstOccurrence(fut);
        try {
            if (error != null) {
                if (error instanceof CancelledError && fut.isDone() && !fut.isCancelled()) {
                    // We were handed a permit by wakeUpNext() but will not take it: undo.
                    self.value++;
                }
                throw error;
            }
        } finally {
            // New waiters may have queued behind us because of FIFO: wake as many as allowed.
            while (self.value > 0) {
                if (!self.wakeUpNext()) {
                    break;
                }
            }
        }
        return Boolean.TRUE;
    }

    /**
     * Gives a permit back and hands it to the first queued waiter not yet woken, if any (asyncio
     * {@code release()}).
     */
    public void release() {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "release()");
        value++;
        wakeUpNext();
    }

    /**
     * Runs {@code body} holding a permit, like {@code async with sem:}: acquires, awaits the
     * coroutine {@code body} returns, and releases however the body ends. The supplier is called
     * once the permit is held.
     *
     * @param body makes the coroutine to run with the permit
     * @param <T> the body's result type
     * @return a coroutine that completes with the body's result
     */
    public final <T> Coroutine<T> withPermit(Supplier<? extends Coroutine<T>> body) {
        return Guarded.run(this::acquire, this::release, body);
    }

    /** Wakes the first waiter that is not done, taking a permit on its behalf; false if none. */
    private boolean wakeUpNext() {
        if (waiters == null) {
            return false;
        }
        for (Promise<Boolean> waiter : waiters) {
            if (!waiter.isDone()) {
                value--;
                waiter.setResult(Boolean.TRUE);
                return true;
            }
        }
        return false;
    }

    /** @return e.g. {@code Semaphore[unlocked, value:2]} or {@code Semaphore[locked, waiters:1]} */
    @Override
    public String toString() {
        String state = locked() ? "locked" : "unlocked, value:" + value;
        String name = getClass().getSimpleName();
        return waiters == null || waiters.isEmpty() ? name + "[" + state + "]" : name + "[" + state + ", waiters:" + waiters.size() + "]";
    }
}
