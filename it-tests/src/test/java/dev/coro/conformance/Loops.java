package dev.coro.conformance;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import java.util.function.DoubleConsumer;

/** How the ports start a loop: the one place that knows the runtime's entry points. */
final class Loops {
    private Loops() {
    }

    /**
     * {@code asyncio.run(main)} on a new loop.
     *
     * @param main the main coroutine
     * @param virtualTime true for {@link EventLoop#virtualTime()}, false for the real clock
     * @param elapsed receives the loop-clock seconds the run took
     * @param <T> the result type
     * @return main's result
     */
    static <T> T run(Coroutine<T> main, boolean virtualTime, DoubleConsumer elapsed) {
        EventLoop loop = virtualTime ? EventLoop.virtualTime() : EventLoop.create();
        double t0 = loop.time();
        try {
            return Coro.run(main, loop);
        } finally {
            elapsed.accept(loop.time() - t0);
        }
    }
}
