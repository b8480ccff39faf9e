package dev.coro;

/** When {@link Coro#waitUntil} returns (asyncio's {@code return_when}). */
public enum ReturnWhen {
    /** As soon as any awaitable is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any awaitable fails with an exception, or when all are done. */
    FIRST_EXCEPTION,
    /** When all awaitables are done. */
    ALL_COMPLETED
}
