package dev.coro.internal.sync;

import dev.coro.Coroutine;
import dev.coro.spi.Frame;
import java.util.function.Supplier;

/**
 * {@code async with primitive: body} written by hand in the generated coroutine shape: await the
 * primitive's {@code acquire()}, then await the body, then release however the body ended.
 * Shared by {@code Lock}, {@code Semaphore} and {@code Condition}.
 */
public final class Guarded {
    private Guarded() {
    }

    /**
     * Makes the coroutine of {@code async with}.
     *
     * @param acquire makes the acquiring coroutine (called when the result is first resumed)
     * @param release releases (called once, after the body, whatever the outcome)
     * @param body makes the body's coroutine (called once the primitive is held)
     * @param <T> the body's result type
     * @return the coroutine; it completes with the body's result
     */
    public static <T> Coroutine<T> run(Supplier<? extends Coroutine<?>> acquire, Runnable release,
            Supplier<? extends Coroutine<T>> body) {
        Frame<T> frame = new Frame<>(Guarded::body, 3, 0);
        Frame.putRef(acquire, frame, 0);
        Frame.putRef(release, frame, 1);
        Frame.putRef(body, frame, 2);
        return frame;
    }

    // Frame: ref 0 = acquire supplier, ref 1 = release, ref 2 = body supplier.
    // state 0: not started; 1: suspended in `await acquire()` (__aenter__); 2: suspended in the body.
    @SuppressWarnings("unchecked")
    private static Object body(Frame<?> frame) throws Throwable {
        Object value;
        switch (frame.state) {
            case 0: {
                Supplier<? extends Coroutine<?>> acquire = (Supplier<? extends Coroutine<?>>) Frame.getRef(frame, 0);
                // An exception from __aenter__ propagates without __aexit__.
                if (Frame.await(acquire.get(), frame) == Frame.SUSPENDED) {
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
                return enterBody(frame);
            }
            case 1:
                frame.resumeValue();
                return enterBody(frame);
            case 2:
                try {
                    value = frame.resumeValue();
                } catch (Throwable t) {
                    release(frame);
                    throw t;
                }
                release(frame);
                return value;
            default:
                throw badState("async with", frame.state);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object enterBody(Frame<?> frame) throws Throwable {
        Object value;
        try {
            Coroutine<?> body = ((Supplier<? extends Coroutine<?>>) Frame.getRef(frame, 2)).get();
            if (body == null) {
                throw new NullPointerException("the body of withLock/withPermit returned null "
                        + "instead of a Coroutine; return done() when it has nothing to await");
            }
            value = Frame.await(body, frame);
            if (value == Frame.SUSPENDED) {
                frame.state = 2;
                return Frame.SUSPENDED;
            }
        } catch (Throwable t) {
            release(frame);
            throw t;
        }
        release(frame);
        return value;
    }

    private static void release(Frame<?> frame) {
        ((Runnable) Frame.getRef(frame, 1)).run();
    }

    /**
     * The error for a frame resumed in a state its body does not have: a runtime bug.
     *
     * @param where the coroutine, e.g. {@code "Lock.acquire"}
     * @param state the bad state
     * @return the error to throw
     */
    public static IllegalStateException badState(String where, int state) {
        return new IllegalStateException(where + " resumed in unknown state " + state
                + ": the coroutine frame was resumed after it finished or was corrupted (a Coro runtime bug)");
    }
}
