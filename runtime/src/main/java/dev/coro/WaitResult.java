package dev.coro;

import java.util.Set;

/**
 * What {@link Coro#waitUntil} returns: the awaitables that are done and those still pending, each
 * set in the order they were given.
 *
 * @param done the awaitables that are done
 * @param pending the awaitables still pending (after a timeout, or with FIRST_COMPLETED /
 *     FIRST_EXCEPTION)
 * @param <P> the awaitable type
 */
public record WaitResult<P>(Set<P> done, Set<P> pending) {
}
