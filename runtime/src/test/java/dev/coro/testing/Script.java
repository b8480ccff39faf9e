package dev.coro.testing;

import dev.coro.Awaitable;
import dev.coro.spi.Frame;

/**
 * Hand-written coroutines for tests, in the exact shape the rewriter generates (a
 * {@link Frame} whose body switches on {@code frame.state}): a coroutine is a list of steps; a
 * step returns an {@link Awaitable} to await (its outcome goes to the next step), {@link #ret} to
 * finish with a value, or any other value to pass on to the next step without awaiting. After the
 * last step the coroutine returns the last value.
 *
 * <pre>{@code
 * Frame<String> c = Script.of(
 *     in -> { expect(2); return sleep(Duration.ofSeconds(1)); },
 *     in -> { expect(3); return Script.ret("woke"); });
 * }</pre>
 *
 * An exception thrown by an await is re-thrown before the next step runs (the coroutine ends
 * with it), unless that step is wrapped in {@link #catching}: then it runs and may inspect
 * {@link In#error()}.
 */
public final class Script {
    private Script() {
    }

    /** One step of a script. */
    @FunctionalInterface
    public interface Step {
        /**
         * @param in the outcome of the previous step's await
         * @return an Awaitable to await, {@link #ret}, or a value to pass on
         * @throws Throwable to end the coroutine with it
         */
        Object run(In in) throws Throwable;
    }

    /** The outcome of the previous await, given to a step. */
    public static final class In {
        Object value;
        Throwable error;

        /** @return the value @throws Throwable the error, if the await threw */
        public Object get() throws Throwable {
            if (error != null) {
                throw error;
            }
            return value;
        }

        /** @return the value (null if the await threw) */
        public Object value() {
            return value;
        }

        /** @return the exception the await threw, or null */
        public Throwable error() {
            return error;
        }
    }

    private static final class Catching implements Step {
        final Step step;

        Catching(Step step) {
            this.step = step;
        }

        @Override
        public Object run(In in) throws Throwable {
            return step.run(in);
        }
    }

    private static final class Return {
        final Object value;

        Return(Object value) {
            this.value = value;
        }
    }

    /**
     * @param step a step that receives exceptions instead of ending the coroutine
     * @return the step, marked
     */
    public static Step catching(Step step) {
        return new Catching(step);
    }

    /**
     * @param value the coroutine's result
     * @return a marker that ends the coroutine with {@code value}
     */
    public static Object ret(Object value) {
        return new Return(value);
    }

    /**
     * Builds a coroutine from steps.
     *
     * @param steps the steps
     * @param <T> the result type
     * @return the coroutine
     */
    @SuppressWarnings("unchecked")
    public static <T> Frame<T> of(Step... steps) {
        return new Frame<>(frame -> {
            int i = frame.state;
            In in = new In();
            if (i > 0) {
                try {
                    in.value = frame.resumeValue();
                } catch (Throwable t) {
                    in.error = t;
                }
            }
            for (;;) {
                if (i >= steps.length) {
                    if (in.error != null) {
                        throw in.error;
                    }
                    return in.value;
                }
                Step step = steps[i++];
                if (in.error != null && !(step instanceof Catching)) {
                    throw in.error;
                }
                Object r = step.run(in);
                in = new In();
                if (r instanceof Return) {
                    return ((Return) r).value;
                }
                if (r instanceof Awaitable) {
                    try {
                        Object x = Frame.await((Awaitable<?>) r, frame);
                        if (x == Frame.SUSPENDED) {
                            frame.state = i;
                            return Frame.SUSPENDED;
                        }
                        in.value = x;
                    } catch (Throwable t) {
                        in.error = t;
                    }
                } else {
                    in.value = r;
                }
            }
        }, 0, 0);
    }
}
