package dev.coro.io;

import dev.coro.Coroutine;

/**
 * What a stream server runs for each connection (asyncio's {@code client_connected_cb}), as a
 * task of its own; usually an {@code @Async} method reference:
 * <pre>{@code
 * @Async static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) { ... }
 * await(startServer(Echo::handle, "127.0.0.1", 8888));
 * }</pre>
 * When the task ends the connection is closed (after its buffered bytes are sent). An exception
 * goes to the loop's exception handler ("Unhandled exception in client_connected_cb").
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * @param reader the connection's read side
     * @param writer its write side
     * @return the coroutine to run as the connection's task
     */
    Coroutine<?> handle(StreamReader reader, StreamWriter writer);
}
