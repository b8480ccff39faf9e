package dev.coro;

import dev.coro.internal.sync.Guarded;
import dev.coro.internal.sync.LoopBinding;
import dev.coro.internal.sync.WaiterAwait;
import dev.coro.spi.Frame;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * asyncio.Lock: a mutual-exclusion lock for tasks of one event loop. It is not owned by a task
 * (any task may release it) and not reentrant.
 *
 * <pre>{@code
 * await(lock.acquire());
 * try {
 *     ...                                   // may await
 * } finally {
 *     lock.release();
 * }
 * // or, like `async with lock:`
 * await(lock.withLock(() -> criticalSection()));
 * }</pre>
 *
 * <h2>Fairness (exactly CPython 3.13's {@code asyncio.Lock})</h2>
 * <ul>
 *   <li>Waiters are served first in, first out. {@link #release()} resolves only the head
 *       waiter's promise; that waiter takes the lock when its task next runs (one loop iteration
 *       later).</li>
 *   <li>No barging: {@link #acquire()} takes the fast path only when the lock is free <b>and</b>
 *       every queued waiter is cancelled. So between a release and the woken waiter's step the
 *       lock reads unlocked, yet a newcomer queues behind the woken waiter.</li>
 *   <li>A waiter cancelled while queued removes itself; if it had already been woken, it passes
 *       the wake-up on to the next waiter, so the lock is never stranded.</li>
 * </ul>
 *
 * <p>All methods must be called on the loop thread. The lock binds to the loop that first makes a
 * task wait on it.
 */
public final class Lock {
    /**
     * Waiter promises in arrival order; the head is the next owner. Removed by their own task.
     * Created on first contention ({@code null} before), as in CPython: most locks never wait.
     */
    private ArrayDeque<Promise<Boolean>> waiters;
    private boolean locked;
    private EventLoop loop;

    /** Creates an unlocked lock. */
    public Lock() {
    }

    /** @return {@code true} if the lock is held (asyncio {@code locked()}) */
    public boolean locked() {
        return locked;
    }

    /**
     * Acquires the lock (asyncio {@code await lock.acquire()}). Lazy like every coroutine: the
     * lock is examined when the coroutine is awaited. If the lock is free and no live waiter is
     * queued it is taken without suspending; otherwise the task queues and suspends until
     * {@link #release()} hands it the lock.
     *
     * <p>Cancellation while queued: the waiter leaves the queue, wakes the next waiter if the lock
     * is free, and the {@link CancelledError} propagates; the lock is not taken.
     *
     * @return a coroutine that completes with {@code true} once this task holds the lock
     */
    public Coroutine<Boolean> acquire() {
        Frame<Boolean> frame = new Frame<>(Lock::acquireBody, 2, 0);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of acquire(): ref 0 = the lock, ref 1 = the waiter promise while suspended.
    // state 0: not started; state 1: suspended in `await fut`.
    @SuppressWarnings("unchecked")
    private static Object acquireBody(Frame<?> frame) throws Throwable {
        Lock self = (Lock) Frame.getRef(frame, 0);
        Promise<Boolean> fut;
        Throwable error = null;
        switch (frame.state) {
            case 0:
                // Fair scheduling: a task always waits its turn; jumping the queue when every
                // waiter is cancelled is only an optimisation (locks.py acquire()).
                if (!self.locked && self.allWaitersCancelled()) {
                    self.locked = true;
                    return Boolean.TRUE;
                }
                fut = self.newWaiter();
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
                throw Guarded.badState("Lock.acquire", frame.state);
        }
        // finally: self._waiters.remove(fut)
        self.waiters.removeFirstOccurrence(fut);
        if (error != null) {
            if (error instanceof CancelledError && !self.locked) {
                // Keep the invariant: if the lock is free and a task waits, the head will run.
                self.wakeUpFirst();
            }
            throw error;
        }
        self.locked = true;
        return Boolean.TRUE;
    }

    /**
     * Releases the lock and wakes the first queued waiter, if any (asyncio {@code release()}).
     *
     * @throws IllegalStateException {@code "Lock is not acquired."} (asyncio's RuntimeError) when
     *     the lock is not held
     */
    public void release() {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "release()");
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        locked = false;
        wakeUpFirst();
    }

    /**
     * Runs {@code body} while holding the lock, like {@code async with lock:} — acquires, awaits
     * the coroutine {@code body} returns, and releases the lock however the body ends (value,
     * exception or cancellation). The body is only created (the supplier called) once the lock is
     * held.
     *
     * @param body makes the coroutine to run under the lock
     * @param <T> the body's result type
     * @return a coroutine that completes with the body's result
     */
    public <T> Coroutine<T> withLock(Supplier<? extends Coroutine<T>> body) {
        return Guarded.run(this::acquire, this::release, body);
    }

    private boolean allWaitersCancelled() {
        if (waiters == null) {
            return true;
        }
        for (Promise<Boolean> waiter : waiters) {
            if (!waiter.isCancelled()) {
                return false;
            }
        }
        return true;
    }

    /** Ensures that the head waiter will wake up; a done head is already set to wake up. */
    private void wakeUpFirst() {
        if (waiters == null) {
            return;
        }
        Promise<Boolean> first = waiters.peekFirst();
        if (first != null && !first.isDone()) {
            first.setResult(Boolean.TRUE);
        }
    }

    private Promise<Boolean> newWaiter() {
        loop = LoopBinding.bind(loop, this);
        return loop.createPromise();
    }

    /** @return e.g. {@code Lock[locked, waiters:2]} */
    @Override
    public String toString() {
        String state = locked ? "locked" : "unlocked";
        return waiters == null || waiters.isEmpty() ? "Lock[" + state + "]" : "Lock[" + state + ", waiters:" + waiters.size() + "]";
    }
}
