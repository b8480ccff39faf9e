package dev.coro.io;

import dev.coro.Coroutine;
import java.net.SocketAddress;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.function.Function;

/**
 * A listening server (asyncio's {@code Server}), made by {@code Coro.startServer},
 * {@code Coro.startUnixServer} or {@code EventLoop.createServer}. Loop-thread only.
 *
 * <pre>{@code
 * Server server = await(startServer(Echo::handle, "127.0.0.1", 8888));
 * await(server.serveForever());          // until cancelled: then closes and waits
 * }</pre>
 *
 * Closing stops accepting; connections already made go on until they end, or until
 * {@link #closeClients()} / {@link #abortClients()}. {@link #waitClosed()} waits for both.
 */
public interface Server extends AutoCloseable {
    /**
     * Accepts connections until the awaiting task is cancelled; then closes the server and waits
     * for {@link #waitClosed()} before the cancellation goes on.
     *
     * @return the coroutine
     * @throws IllegalStateException (when awaited) if the server is closed or already served forever
     */
    Coroutine<Void> serveForever();

    /**
     * Starts accepting (a server made with {@code startServing(false)}); then yields once.
     *
     * @return the coroutine
     */
    Coroutine<Void> startServing();

    /**
     * @return true while accepting connections
     */
    boolean isServing();

    /**
     * @return the loop the server runs on (asyncio's {@code get_loop()})
     */
    dev.coro.EventLoop getLoop();

    /** Stops listening and closes the listening sockets; open connections stay. Idempotent. */
    @Override
    void close();

    /** Closes every open connection (after flushing what they have buffered). */
    void closeClients();

    /** Aborts every open connection (buffered bytes are dropped). */
    void abortClients();

    /**
     * Waits until the server is closed and its last connection is gone (asyncio 3.12.1+).
     *
     * @return the coroutine
     */
    Coroutine<Void> waitClosed();

    /**
     * @return the listening channels; empty once closed
     */
    List<NetworkChannel> sockets();

    /**
     * @return the addresses listened on (with the ports the system chose for port 0); empty once closed
     */
    List<SocketAddress> addresses();

    /**
     * The scoped form ({@code async with server:}): runs {@code body}, then closes the server and
     * waits for {@link #waitClosed()}, however the body ends.
     *
     * @param body the body
     * @param <T> its result type
     * @return the body's result
     */
    <T> Coroutine<T> use(Function<? super Server, ? extends Coroutine<T>> body);
}
