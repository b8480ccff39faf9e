package dev.coro.sync;

import dev.coro.Awaitable;
import dev.coro.Coroutine;
import dev.coro.spi.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Coroutines written by hand in the shape the rewriter generates, one lambda per stretch of code
 * between two awaits. The frame's body is the generic interpreter below: it runs a step, and when
 * the step asks to await something it calls {@link Frame#await}, stores the next step's number in
 * {@code frame.state} and returns {@link Frame#SUSPENDED}; on resume it reads the outcome with
 * {@link Frame#resumeValue()}, exactly where generated code would, so cancellations and
 * exceptions are delivered into the next step just like into the code after an {@code await}.
 *
 * <pre>{@code
 * Coroutine<Void> c = new Script<Void>()
 *     .step(v -> { expect(1); return await(lock.acquire()); })
 *     .step(acquired -> { expect(3); lock.release(); return null; })   // a non-Await value ends it
 *     .coroutine();
 * }</pre>
 *
 * <p>When the last step returns an {@link Await}, the coroutine returns the awaited value
 * ({@code return await(x)}).
 *
 * <p>A {@link #step} sees only values: an exception thrown by the await before it propagates out
 * of the coroutine. A {@link #handle} step sees both and decides (like a {@code catch}).
 *
 * @param <T> the coroutine's result type
 */
final class Script<T> {
    /** Code between two awaits that sees the previous await's value. */
    @FunctionalInterface
    interface Step {
        /**
         * @param value the previous await's value ({@code null} for the first step)
         * @return an {@link Await} to suspend on, or the coroutine's result
         */
        Object run(Object value) throws Throwable;
    }

    /** Code between two awaits that sees the previous await's value or exception. */
    @FunctionalInterface
    interface Handler {
        /**
         * @param value the previous await's value, if it did not throw
         * @param error the previous await's exception, or {@code null}
         * @return an {@link Await} to suspend on, or the coroutine's result
         */
        Object run(Object value, Throwable error) throws Throwable;
    }

    /** What a step returns to await something. */
    static final class Await {
        final Awaitable<?> awaitable;
        final int next;

        private Await(Awaitable<?> awaitable, int next) {
            this.awaitable = awaitable;
            this.next = next;
        }
    }

    /**
     * Awaits {@code awaitable} and continues with the next step.
     *
     * @param awaitable what to await
     * @return the request
     */
    static Await await(Awaitable<?> awaitable) {
        return new Await(awaitable, -1);
    }

    /**
     * Awaits {@code awaitable} and continues with step number {@code next} (0-based): a loop.
     *
     * @param awaitable what to await
     * @param next the step to continue with
     * @return the request
     */
    static Await awaitThen(Awaitable<?> awaitable, int next) {
        return new Await(awaitable, next);
    }

    /**
     * Continues with the next step at once, without awaiting anything (its value is {@code null}).
     *
     * @return the request
     */
    static Await proceed() {
        return new Await(null, -1);
    }

    private final List<Handler> steps = new ArrayList<>();

    /**
     * Adds a step that sees values only.
     *
     * @param step the step
     * @return this
     */
    Script<T> step(Step step) {
        steps.add((value, error) -> {
            if (error != null) {
                throw error;
            }
            return step.run(value);
        });
        return this;
    }

    /**
     * Adds a step that sees the previous await's value or exception.
     *
     * @param handler the step
     * @return this
     */
    Script<T> handle(Handler handler) {
        steps.add(handler);
        return this;
    }

    /** @return a new coroutine object running the steps (each call makes a fresh one) */
    Coroutine<T> coroutine() {
        Frame<T> frame = new Frame<>(Script::body, 1, 0);
        Frame.putRef(steps.toArray(new Handler[0]), frame, 0);
        return frame;
    }

    // Frame: ref 0 = the steps. state 0: not started; state k >= 1: suspended, resume into step k-1.
    private static Object body(Frame<?> frame) throws Throwable {
        Handler[] steps = (Handler[]) Frame.getRef(frame, 0);
        int index;
        Object value = null;
        Throwable error = null;
        if (frame.state == 0) {
            index = 0;
        } else {
            index = frame.state - 1;
            try {
                value = frame.resumeValue();
            } catch (Throwable t) {
                error = t;
            }
        }
        while (true) {
            if (index == steps.length) {
                // The last step awaited something: `return await(x)`.
                if (error != null) {
                    throw error;
                }
                return value;
            }
            Object result = steps[index].run(value, error);
            if (!(result instanceof Await)) {
                return result;
            }
            Await request = (Await) result;
            int next = request.next < 0 ? index + 1 : request.next;
            value = null;
            error = null;
            if (request.awaitable == null) {
                index = next;
                continue;
            }
            try {
                Object awaited = Frame.await(request.awaitable, frame);
                if (awaited == Frame.SUSPENDED) {
                    frame.state = next + 1;
                    return Frame.SUSPENDED;
                }
                value = awaited;
            } catch (Throwable t) {
                error = t;
            }
            index = next;
        }
    }
}
