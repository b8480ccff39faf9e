package dev.coro;

/**
 * What an {@code @Async} method returns: a coroutine object, like calling an {@code async def}
 * function in Python. It is lazy (no line of the body runs until it is awaited or spawned) and
 * one-shot (it can be awaited or spawned once).
 *
 * <p>Instances are made by rewritten code ({@link dev.coro.spi.Frame}) and by
 * {@link Coro#done(Object)}; applications do not subclass it.
 *
 * @param <T> the coroutine's result type
 */
public abstract class Coroutine<T> implements Awaitable<T> {
    /** For the runtime's own subclasses only. */
    protected Coroutine() {
    }
}
