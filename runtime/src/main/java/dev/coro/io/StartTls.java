package dev.coro.io;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.internal.Lazy;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;

/**
 * The TLS entry points of streams: {@code open_connection(ssl=...)} and
 * {@code StreamWriter.start_tls}, as asyncio's {@code streams.py} has them.
 */
final class StartTls {
    private StartTls() {
    }

    /**
     * Connects, handshakes, and returns the reader and writer of the plaintext.
     *
     * @param host the host (also the default server name)
     * @param port the port
     * @param options limit and TLS settings
     * @return the coroutine of the connection
     */
    static Coroutine<Connection> openConnection(String host, int port, StreamOptions options) {
        return Lazy.of(() -> {
            EventLoop loop = Coro.loop();
            StreamReader reader = new StreamReader(options.limit());
            StreamProtocol[] made = new StreamProtocol[1];
            Coroutine<Transport> connecting = loop.createConnection(() -> {
                made[0] = new StreamProtocol(loop, reader, null);
                return made[0];
            }, host, port, options);
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
     * asyncio's {@code StreamWriter.start_tls}: drain, handshake (as the server if the connection
     * came from a server), then the writer and the protocol use the TLS transport.
     *
     * @param writer the writer
     * @param protocol its protocol
     * @param options TLS settings
     * @return the coroutine
     */
    static Coroutine<Void> upgrade(StreamWriter writer, StreamProtocol protocol, StreamOptions options) {
        if (options.ssl() == null) {
            throw new IllegalArgumentException("startTls needs an SSLContext");
        }
        return new Frame<>(new Upgrade(writer, protocol, options), 0, 0);
    }

    /**
     * <pre>
     * state 0: await writer.drain()                         (state 1)
     * state 1: await loop.startTls(...)                     (state 2)
     * state 2: the writer and the protocol take the TLS transport
     * </pre>
     */
    private static final class Upgrade implements CoroutineBody {
        private final StreamWriter writer;
        private final StreamProtocol protocol;
        private final StreamOptions options;

        Upgrade(StreamWriter writer, StreamProtocol protocol, StreamOptions options) {
            this.writer = writer;
            this.protocol = protocol;
            this.options = options;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0: {
                    Object r = Frame.await(writer.drain(), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return handshake(frame);
                }
                case 1:
                    frame.resumeValue();
                    return handshake(frame);
                case 2:
                    return done((Transport) frame.resumeValue());
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        }

        private Object handshake(Frame<?> frame) throws Throwable {
            Coroutine<Transport> upgrading = Coro.loop().startTls(writer.transport(), protocol, options,
                    protocol.isServerSide());
            Object r = Frame.await(upgrading, frame);
            if (r == Frame.SUSPENDED) {
                frame.state = 2;
                return r;
            }
            return done((Transport) r);
        }

        private Object done(Transport tls) {
            writer.replaceTransport(tls);
            protocol.replaceTransport(tls);
            return null;
        }
    }
}
