package dev.coro.internal;

import dev.coro.Awaitable;
import dev.coro.Coroutine;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.util.concurrent.Callable;

/**
 * Coroutines of hand-written runtime operations that start only when awaited or spawned, as a
 * Python coroutine does: {@code loop.sockRecv(...)} reads nothing until its first step, so a
 * task cancelled before it starts consumes no bytes.
 */
public final class Lazy {
    private Lazy() {
    }

    /**
     * @param start called at the first step; returns what to await (a done coroutine, a promise)
     * @param <T> the result type
     * @return the coroutine
     */
    public static <T> Coroutine<T> of(Callable<? extends Awaitable<T>> start) {
        return new Frame<>(new Body(start), 0, 0);
    }

    /**
     * @param first what to await first
     * @param value what to return then
     * @param <T> the value type
     * @return a coroutine that awaits {@code first} (throwing its exception) and returns {@code value}
     */
    public static <T> Coroutine<T> then(Awaitable<?> first, T value) {
        return new Frame<>(frame -> {
            if (frame.state == 0) {
                Object r = Frame.await(first, frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 1;
                    return r;
                }
                return value;
            }
            frame.resumeValue();
            return value;
        }, 0, 0);
    }

    private static final class Body implements CoroutineBody {
        private final Callable<? extends Awaitable<?>> start;

        Body(Callable<? extends Awaitable<?>> start) {
            this.start = start;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            if (frame.state == 0) {
                Object r = Frame.await(start.call(), frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 1;
                }
                return r;
            }
            return frame.resumeValue();
        }

        @Override
        public String toString() {
            return String.valueOf(start);
        }
    }
}
