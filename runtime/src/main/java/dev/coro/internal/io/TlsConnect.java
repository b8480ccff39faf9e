package dev.coro.internal.io;

import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Handle;
import dev.coro.io.Protocol;
import dev.coro.io.StreamOptions;
import dev.coro.io.Transport;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The TLS steps of asyncio's {@code create_connection(ssl=...)} and {@code start_tls}: put an
 * {@link SslProtocol} under the application's protocol, wait for the handshake, and return the
 * plaintext transport. If the handshake fails or the caller is cancelled, the connection is
 * closed.
 *
 * <pre>
 * connect:  state 0: connect with the SslProtocol as the socket's protocol   (state 1)
 *           state 1: await the handshake                                      (state 2)
 *           state 2: return the application's transport
 * startTls: state 0: swap protocols, connectionMade soon; await the handshake (state 2)
 *           state 2: return the application's transport
 * </pre>
 */
public final class TlsConnect implements CoroutineBody {
    private final Coroutine<Transport> connecting;
    private Transport socketTransport;
    private SslProtocol ssl;
    private Handle connectionMadeCall;
    private Handle resumeCall;

    private TlsConnect(Coroutine<Transport> connecting, Transport socketTransport, SslProtocol ssl) {
        this.connecting = connecting;
        this.socketTransport = socketTransport;
        this.ssl = ssl;
    }

    /**
     * @param loop the loop
     * @param factory makes the application's protocol
     * @param options TLS settings ({@link StreamOptions#ssl()} set)
     * @param host the host connected to (the default server name)
     * @param port the port
     * @param connector connects with the given protocol factory, returning the socket's transport
     * @return the coroutine of the plaintext transport
     */
    public static Coroutine<Transport> connect(EventLoop loop, Supplier<? extends Protocol> factory,
            StreamOptions options, String host, int port,
            Function<Supplier<? extends Protocol>, Coroutine<Transport>> connector) {
        Coroutine<Transport> connecting = connector.apply(
                () -> new SslProtocol(loop, factory.get(), options, /* serverSide = */ false, host, port, true));
        return new Frame<>(new TlsConnect(connecting, null, null), 0, 0);
    }

    /**
     * Wraps a server's protocol factory: each accepted connection handshakes as a server first.
     *
     * @param loop the loop
     * @param factory makes the application's protocol
     * @param options TLS settings ({@link StreamOptions#ssl()} set)
     * @return the factory of the socket-side protocols
     */
    public static Supplier<Protocol> serverFactory(EventLoop loop, Supplier<? extends Protocol> factory,
            StreamOptions options) {
        if (options.ssl() == null) {
            throw new IllegalArgumentException("TLS needs an SSLContext: StreamOptions.ssl(context)");
        }
        return () -> new SslProtocol(loop, factory.get(), options, /* serverSide = */ true, null, -1, true);
    }

    /**
     * asyncio's {@code loop.start_tls}: upgrades a live connection; the protocol keeps its
     * connection (no second {@code connectionMade}) and talks through the returned transport.
     *
     * @param loop the loop
     * @param transport the plain transport
     * @param protocol the application's protocol
     * @param options TLS settings ({@link StreamOptions#ssl()} set)
     * @param serverSide handshake as the server
     * @return the coroutine of the plaintext transport
     */
    public static Coroutine<Transport> startTls(EventLoop loop, Transport transport, Protocol protocol,
            StreamOptions options, boolean serverSide) {
        Object peer = transport.getExtraInfo("peername");
        String host = null;
        int port = -1;
        if (peer instanceof java.net.InetSocketAddress a) {
            host = a.getHostString();
            port = a.getPort();
        }
        SslProtocol ssl = new SslProtocol(loop, protocol, options, serverSide, host, port, false);
        return new Frame<>(new TlsConnect(null, transport, ssl), 0, 0);
    }

    @Override
    public Object resume(Frame<?> frame) throws Throwable {
        try {
            switch (frame.state) {
                case 0: {
                    if (connecting == null) {
                        // Order is important here (as in asyncio): reading stops before the
                        // protocol changes, connectionMade runs before reading resumes.
                        EventLoop loop = dev.coro.Coro.loop();
                        socketTransport.pauseReading();
                        socketTransport.setProtocol(ssl);
                        Transport t = socketTransport;
                        connectionMadeCall = loop.callSoon(() -> ssl.connectionMade(t));
                        resumeCall = loop.callSoon(t::resumeReading);
                        return handshake(frame);
                    }
                    Object r = Frame.await(connecting, frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return connected((Transport) r, frame);
                }
                case 1:
                    return connected((Transport) frame.resumeValue(), frame);
                case 2:
                    frame.resumeValue();
                    return ssl.appTransport();
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        } catch (Throwable e) {
            if (connectionMadeCall != null) {
                connectionMadeCall.cancel();
                resumeCall.cancel();
            }
            if (socketTransport != null) {
                socketTransport.abort();
            }
            throw e;
        }
    }

    private Object connected(Transport transport, Frame<?> frame) throws Throwable {
        socketTransport = transport;
        ssl = (SslProtocol) transport.getProtocol();
        return handshake(frame);
    }

    private Object handshake(Frame<?> frame) throws Throwable {
        Object r = Frame.await(ssl.handshakeDone(), frame);
        if (r == Frame.SUSPENDED) {
            frame.state = 2;
            return r;
        }
        return ssl.appTransport();
    }

    @Override
    public String toString() {
        return "TLS handshake(" + socketTransport + ")";
    }
}
