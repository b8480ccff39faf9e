package dev.coro.io;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.internal.Lazy;
import dev.coro.spi.Frame;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * asyncio's stream functions ({@code open_connection}, {@code start_server} and the Unix
 * variants); {@code Coro.openConnection} and friends call these. They run on the running loop.
 */
public final class Streams {
    private Streams() {
    }

    /**
     * Connects and returns the reader and writer.
     *
     * @param address a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @param options the options (limit)
     * @return the coroutine of the connection
     */
    public static Coroutine<Connection> openConnection(SocketAddress address, StreamOptions options) {
        return connect(loop -> factory -> loop.createConnection(factory, address), options);
    }

    /** How to connect, given the loop and the protocol factory. */
    private interface Connector extends java.util.function.Function<EventLoop,
            java.util.function.Function<java.util.function.Supplier<StreamProtocol>, Coroutine<Transport>>> {
    }

    private static Coroutine<Connection> connect(Connector connector, StreamOptions options) {
        return Lazy.of(() -> {
            EventLoop loop = Coro.loop();
            StreamReader reader = new StreamReader(options.limit());
            StreamProtocol[] made = new StreamProtocol[1];
            Coroutine<Transport> connecting = connector.apply(loop).apply(() -> {
                made[0] = new StreamProtocol(loop, reader, null);
                return made[0];
            });
            return new Frame<Connection>(frame -> {
                if (frame.state == 0) {
                    Object r = Frame.await(connecting, frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                } else {
                    frame.resumeValue();
                }
                StreamProtocol protocol = made[0];
                return new Connection(reader, new StreamWriter(protocol.transport(), protocol, reader));
            }, 0, 0);
        });
    }

    /**
     * @param host the host
     * @param port the port
     * @param options the options
     * @return the coroutine of the connection
     */
    public static Coroutine<Connection> openConnection(String host, int port, StreamOptions options) {
        if (options.ssl() != null) {
            return StartTls.openConnection(host, port, options);
        }
        return connect(loop -> factory -> loop.createConnection(factory, host, port, options.happyEyeballsDelay(),
                options.interleave()), options);
    }

    /**
     * Starts a server that runs {@code handler} as a task per connection.
     *
     * @param handler the connection handler
     * @param host the address to bind, or null for all
     * @param port the port (0: any free port)
     * @param options the options
     * @return the coroutine of the server
     */
    public static Coroutine<Server> startServer(ConnectionHandler handler, String host, int port, StreamOptions options) {
        return Lazy.of(() -> {
            EventLoop loop = Coro.loop();
            return loop.createServer(() -> new StreamProtocol(loop, new StreamReader(options.limit()), handler),
                    host, port, options);
        });
    }

    /**
     * @param path the socket file
     * @param options the options
     * @return the coroutine of the connection
     */
    public static Coroutine<Connection> openUnixConnection(Path path, StreamOptions options) {
        return openConnection(UnixDomainSocketAddress.of(path), options);
    }

    /**
     * @param handler the connection handler
     * @param path the socket file
     * @param options the options
     * @return the coroutine of the server
     */
    public static Coroutine<Server> startUnixServer(ConnectionHandler handler, Path path, StreamOptions options) {
        return Lazy.of(() -> {
            EventLoop loop = Coro.loop();
            return loop.createUnixServer(() -> new StreamProtocol(loop, new StreamReader(options.limit()), handler),
                    path, options);
        });
    }
}
