package dev.coro;

import dev.coro.internal.sync.Guarded;
import dev.coro.internal.sync.LoopBinding;
import dev.coro.internal.sync.WaiterAwait;
import dev.coro.spi.Frame;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * asyncio.Condition: a condition variable over a {@link Lock}. A task holding the lock waits with
 * {@link #waitForNotify()} (which releases the lock while waiting and re-acquires it before
 * returning); another task holding the lock wakes waiters with {@link #notifyWaiters(int)} or
 * {@link #notifyAllWaiters()}.
 *
 * <h2>Names</h2>
 * Java's {@code Object.wait/notify/notifyAll} are final, so asyncio's methods are renamed:
 * <table>
 *   <caption>asyncio to Coro</caption>
 *   <tr><th>asyncio</th><th>Coro</th></tr>
 *   <tr><td>{@code await cond.wait()}</td><td>{@code await(cond.waitForNotify())}</td></tr>
 *   <tr><td>{@code await cond.wait_for(predicate)}</td><td>{@code await(cond.waitFor(predicate))}</td></tr>
 *   <tr><td>{@code cond.notify(n=1)}</td><td>{@code cond.notifyWaiters(n)} / {@code cond.notifyWaiters()}</td></tr>
 *   <tr><td>{@code cond.notify_all()}</td><td>{@code cond.notifyAllWaiters()}</td></tr>
 *   <tr><td>{@code async with cond:}</td><td>{@code await(cond.withLock(() -> body()))}</td></tr>
 * </table>
 *
 * <h2>Semantics (CPython 3.13)</h2>
 * <ul>
 *   <li>Notified waiters are woken in wait order; each re-acquires the lock (FIFO with the lock's
 *       other waiters) before {@code waitForNotify()} returns {@code true}.</li>
 *   <li>A waiter cancelled while waiting still re-acquires the lock before the
 *       {@link CancelledError} propagates, so the caller's {@code finally { release(); }} is
 *       correct. A cancellation that arrives while re-acquiring is remembered, the re-acquire is
 *       retried, and the last such {@code CancelledError} is thrown once the lock is held.</li>
 *   <li>If {@code waitForNotify()} ends with any exception, it notifies one other waiter in its
 *       place (possibly a spurious wake-up, which condition variables allow).</li>
 * </ul>
 *
 * <p>All methods must be called on the loop thread.
 */
public final class Condition {
    private final Lock lock;
    /** Waiter promises in wait order; each is removed by its own task when it resumes. */
    private final ArrayDeque<Promise<Boolean>> waiters = new ArrayDeque<>();
    private EventLoop loop;

    /** Creates a condition with a new {@link Lock}. */
    public Condition() {
        this(new Lock());
    }

    /**
     * Creates a condition over an existing lock (several conditions may share one lock).
     *
     * @param lock the lock
     * @throws NullPointerException if {@code lock} is {@code null}
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "Condition(lock): lock is null; use new Condition() for a new lock");
    }

    /** @return {@code true} if the underlying lock is held */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Acquires the underlying lock; see {@link Lock#acquire()}.
     *
     * @return a coroutine that completes with {@code true} once the lock is held
     */
    public Coroutine<Boolean> acquire() {
        return lock.acquire();
    }

    /**
     * Releases the underlying lock; see {@link Lock#release()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        lock.release();
    }

    /**
     * Runs {@code body} holding the underlying lock, like {@code async with cond:}; see
     * {@link Lock#withLock(Supplier)}.
     *
     * @param body makes the coroutine to run under the lock
     * @param <T> the body's result type
     * @return a coroutine that completes with the body's result
     */
    public <T> Coroutine<T> withLock(Supplier<? extends Coroutine<T>> body) {
        return lock.withLock(body);
    }

    /**
     * Waits until notified (asyncio {@code await cond.wait()}). The caller must hold the lock: it
     * is released while waiting and held again when the coroutine completes, normally or not.
     *
     * @return a coroutine that completes with {@code true} once notified and holding the lock
     *     again; it fails with {@code IllegalStateException} {@code "cannot wait on un-acquired
     *     lock"} (asyncio's RuntimeError) when, as it starts, the lock is not held
     */
    public Coroutine<Boolean> waitForNotify() {
        Frame<Boolean> frame = new Frame<>(Condition::waitBody, 4, 0);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of waitForNotify(): ref 0 = the condition; ref 1 = the waiter promise (state 1);
    // ref 2 = the outcome of `await fut` if it threw, ref 3 = the last CancelledError caught
    // while re-acquiring (both state 2).
    //   state 0: not started
    //   state 1: suspended in `await fut` (lock released)
    //   state 2: suspended in `await self.acquire()` of the re-acquire loop (the `finally`)
    @SuppressWarnings("unchecked")
    private static Object waitBody(Frame<?> frame) throws Throwable {
        Condition self = (Condition) Frame.getRef(frame, 0);
        Promise<Boolean> fut;
        Throwable pending = null;
        switch (frame.state) {
            case 0:
                if (!self.lock.locked()) {
                    throw new IllegalStateException("cannot wait on un-acquired lock");
                }
                self.loop = LoopBinding.bind(self.loop, self);
                fut = self.loop.createPromise();
                self.lock.release();
                self.waiters.addLast(fut);
                Object started = WaiterAwait.start(fut, frame);
                if (started == Frame.SUSPENDED) {
                    return Frame.SUSPENDED;
                }
                pending = (Throwable) started;
                break;
            case 1:
                fut = WaiterAwait.waiter(frame);
                Frame.putRef(null, frame, 1);
                pending = WaiterAwait.resume(frame);
                break;
            case 2: {
                pending = (Throwable) Frame.getRef(frame, 2);
                Throwable err = (Throwable) Frame.getRef(frame, 3);
                try {
                    frame.resumeValue();
                } catch (CancelledError e) {
                    return self.reacquire(frame, pending, e);
                } catch (Throwable t) {
                    // A non-cancel error of acquire() leaves the `finally` and replaces the outcome.
                    self.notifyOne();
                    throw t;
                }
                return self.finishWait(pending, err);
            }
            default:
                throw Guarded.badState("Condition.waitForNotify", frame.state);
        }
        // finally: self._waiters.remove(fut)
        self.waiters.removeFirstOccurrence(fut);
        return self.reacquire(frame, pending, null);
    }

    /** The `finally` of wait(): re-acquire the lock even if the wait was cancelled. */
    private Object reacquire(Frame<?> frame, Throwable pending, Throwable err) throws Throwable {
        while (true) {
            try {
                if (Frame.await(lock.acquire(), frame) == Frame.SUSPENDED) {
                    Frame.putRef(pending, frame, 2);
                    Frame.putRef(err, frame, 3);
                    frame.state = 2;
                    return Frame.SUSPENDED;
                }
                break;
            } catch (CancelledError e) {
                err = e;
            } catch (Throwable t) {
                notifyOne();
                throw t;
            }
        }
        return finishWait(pending, err);
    }

    private Object finishWait(Throwable pending, Throwable err) throws Throwable {
        // Order is important here: a CancelledError caught while re-acquiring is raised from the
        // `finally` and so replaces the outcome of `await fut`; then `except BaseException`
        // notifies another waiter in this one's place.
        Throwable thrown = err != null ? err : pending;
        if (thrown != null) {
            notifyOne();
            throw thrown;
        }
        return Boolean.TRUE;
    }

    /**
     * Waits until {@code predicate} is true (asyncio {@code await cond.wait_for(predicate)}). The
     * caller must hold the lock. The predicate is evaluated first, without waiting; while it is
     * false, the task {@link #waitForNotify() waits for a notification} and evaluates it again.
     *
     * @param predicate the condition, evaluated with the lock held
     * @return a coroutine that completes with {@code true} once the predicate held
     */
    public Coroutine<Boolean> waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "Condition.waitFor(predicate): predicate is null");
        Frame<Boolean> frame = new Frame<>(Condition::waitForBody, 2, 0);
        Frame.putRef(this, frame, 0);
        Frame.putRef(predicate, frame, 1);
        return frame;
    }

    // Frame of waitFor(): ref 0 = the condition, ref 1 = the predicate.
    // state 0: not started; state 1: suspended in `await self.wait()`.
    private static Object waitForBody(Frame<?> frame) throws Throwable {
        Condition self = (Condition) Frame.getRef(frame, 0);
        BooleanSupplier predicate = (BooleanSupplier) Frame.getRef(frame, 1);
        switch (frame.state) {
            case 0:
                break;
            case 1:
                frame.resumeValue();
                break;
            default:
                throw Guarded.badState("Condition.waitFor", frame.state);
        }
        while (!predicate.getAsBoolean()) {
            if (Frame.await(self.waitForNotify(), frame) == Frame.SUSPENDED) {
                frame.state = 1;
                return Frame.SUSPENDED;
            }
        }
        return Boolean.TRUE;
    }

    /**
     * Wakes one waiting task, if any (asyncio {@code notify()}).
     *
     * @throws IllegalStateException {@code "cannot notify on un-acquired lock"} if the lock is not held
     */
    public void notifyWaiters() {
        notifyWaiters(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, in wait order (asyncio {@code notify(n)}). Waiters
     * already woken but not yet running are not counted. A woken task returns from
     * {@link #waitForNotify()} only once it re-acquired the lock, which the caller still holds.
     *
     * @param n the most waiters to wake
     * @throws IllegalStateException {@code "cannot notify on un-acquired lock"} if the lock is not held
     */
    public void notifyWaiters(int n) {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "notifyWaiters(n)");
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        wake(n);
    }

    /**
     * Wakes every waiting task (asyncio {@code notify_all()}).
     *
     * @throws IllegalStateException {@code "cannot notify on un-acquired lock"} if the lock is not held
     */
    public void notifyAllWaiters() {
        notifyWaiters(waiters.size());
    }

    private void notifyOne() {
        wake(1);
    }

    private void wake(int n) {
        int woken = 0;
        for (Promise<Boolean> waiter : waiters) {
            if (woken >= n) {
                break;
            }
            if (!waiter.isDone()) {
                woken++;
                waiter.setResult(Boolean.FALSE);
            }
        }
    }

    /** @return e.g. {@code Condition[locked, waiters:2]} */
    @Override
    public String toString() {
        String state = locked() ? "locked" : "unlocked";
        return waiters.isEmpty() ? "Condition[" + state + "]" : "Condition[" + state + ", waiters:" + waiters.size() + "]";
    }
}
