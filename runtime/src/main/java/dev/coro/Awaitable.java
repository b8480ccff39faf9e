package dev.coro;

/**
 * Something {@link Coro#await(Awaitable)} can wait for: a {@link Coroutine}, a {@link Promise} or
 * a {@link Task}.
 *
 * @param <T> the type of the value it produces
 */
public interface Awaitable<T> {
}
