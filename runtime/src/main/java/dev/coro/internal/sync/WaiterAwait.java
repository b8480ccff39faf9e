package dev.coro.internal.sync;

import dev.coro.Promise;
import dev.coro.spi.Frame;

/**
 * The {@code try: await fut} every waiting primitive does ({@code Lock.acquire},
 * {@code Semaphore.acquire}, {@code Event.wait}, {@code Condition.wait} in {@code locks.py}),
 * split into the two halves of the hand-written coroutine shape. The waiter promise is kept in
 * ref slot {@value #WAITER_SLOT} and the coroutine resumes in state {@value #RESUME_STATE}; what
 * the await threw is returned, not thrown, so that the caller runs its {@code finally} part
 * (removing the waiter) before deciding what to re-throw.
 */
public final class WaiterAwait {
    /** The ref slot holding the waiter while the coroutine is suspended. */
    public static final int WAITER_SLOT = 1;
    /** The state the coroutine resumes in. */
    public static final int RESUME_STATE = 1;

    private WaiterAwait() {
    }

    /**
     * State 0: awaits {@code waiter}.
     *
     * @param waiter the waiter promise, already queued
     * @param frame the primitive's coroutine frame
     * @return {@link Frame#SUSPENDED} (waiter and state saved: return it), {@code null} when the
     *     waiter was already done with a value, or the {@link Throwable} the await threw
     */
    public static Object start(Promise<?> waiter, Frame<?> frame) {
        try {
            if (Frame.await(waiter, frame) == Frame.SUSPENDED) {
                Frame.putRef(waiter, frame, WAITER_SLOT);
                frame.state = RESUME_STATE;
                return Frame.SUSPENDED;
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /**
     * State {@value #RESUME_STATE}: the waiter saved by {@link #start}.
     *
     * @param <T> the waiter's value type
     * @param frame the primitive's coroutine frame
     * @return the waiter
     */
    @SuppressWarnings("unchecked")
    public static <T> Promise<T> waiter(Frame<?> frame) {
        return (Promise<T>) Frame.getRef(frame, WAITER_SLOT);
    }

    /**
     * State {@value #RESUME_STATE}: takes the delivered outcome of the await.
     *
     * @param frame the primitive's coroutine frame
     * @return {@code null} when the waiter completed with a value, or the {@link Throwable}
     *     delivered (a {@code CancelledError} when the waiting task was cancelled)
     */
    public static Throwable resume(Frame<?> frame) {
        try {
            frame.resumeValue();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
