package dev.coro;

import dev.coro.internal.sync.Guarded;
import dev.coro.internal.sync.LoopBinding;
import dev.coro.internal.sync.WaiterAwait;
import dev.coro.spi.Frame;
import java.util.ArrayDeque;

/**
 * asyncio.Event: a flag that tasks can wait for. Initially clear.
 *
 * <ul>
 *   <li>{@link #set()} wakes every current waiter, in the order they started waiting; each
 *       returns {@code true} when its task next runs.</li>
 *   <li>{@link #clear()} only lowers the flag: waiters already woken by a {@code set()} in the
 *       same step still return {@code true}; later waiters block again.</li>
 *   <li>{@link #waitUntilSet()} on a set event returns {@code true} without suspending (zero loop
 *       iterations).</li>
 * </ul>
 *
 * <p>All methods must be called on the loop thread.
 */
public final class Event {
    /** Waiter promises in wait order; each is removed by its own task when it resumes. */
    private final ArrayDeque<Promise<Boolean>> waiters = new ArrayDeque<>();
    private boolean value;
    private EventLoop loop;

    /** Creates a clear event. */
    public Event() {
    }

    /** @return {@code true} if the flag is set (asyncio {@code is_set()}) */
    public boolean isSet() {
        return value;
    }

    /** Sets the flag and wakes every task waiting for it; does nothing if it is already set. */
    public void set() {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "set()");
        if (!value) {
            value = true;
            for (Promise<Boolean> waiter : waiters) {
                if (!waiter.isDone()) {
                    waiter.setResult(Boolean.TRUE);
                }
            }
        }
    }

    /** Clears the flag; tasks that wait from now on block until the next {@link #set()}. */
    public void clear() {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "clear()");
        value = false;
    }

    /**
     * Waits until the flag is set: asyncio {@code await event.wait()}, renamed because
     * {@link Object#wait()} is final. Returns {@code true} at once, without suspending, if the flag
     * is set when the coroutine is awaited.
     *
     * <p>Cancellation while waiting: the waiter leaves the queue and the {@link CancelledError}
     * propagates; other waiters are not disturbed.
     *
     * @return a coroutine that completes with {@code true} once the flag is set
     */
    public Coroutine<Boolean> waitUntilSet() {
        Frame<Boolean> frame = new Frame<>(Event::waitBody, 2, 0);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of waitUntilSet(): ref 0 = the event, ref 1 = the waiter promise while suspended.
    // state 0: not started; state 1: suspended in `await fut`.
    @SuppressWarnings("unchecked")
    private static Object waitBody(Frame<?> frame) throws Throwable {
        Event self = (Event) Frame.getRef(frame, 0);
        Promise<Boolean> fut;
        Throwable error = null;
        switch (frame.state) {
            case 0:
                if (self.value) {
                    return Boolean.TRUE;
                }
                self.loop = LoopBinding.bind(self.loop, self);
                fut = self.loop.createPromise();
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
                throw Guarded.badState("Event.waitUntilSet", frame.state);
        }
        // finally: self._waiters.remove(fut)
        self.waiters.removeFirstOccurrence(fut);
        if (error != null) {
            throw error;
        }
        return Boolean.TRUE;
    }

    /** @return e.g. {@code Event[unset, waiters:2]} */
    @Override
    public String toString() {
        String state = value ? "set" : "unset";
        return waiters.isEmpty() ? "Event[" + state + "]" : "Event[" + state + ", waiters:" + waiters.size() + "]";
    }
}
