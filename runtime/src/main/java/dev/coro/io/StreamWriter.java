package dev.coro.io;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The write side of a stream connection (asyncio's {@code StreamWriter}). Writes never block:
 * they go into the transport's buffer; {@link #drain()} waits while that buffer is above its high
 * water mark (64 KiB), which is how a writer's memory stays bounded when the peer reads slowly.
 * Loop-thread only.
 */
public final class StreamWriter {
    private Transport transport; // replaced by startTls
    private final StreamProtocol protocol;
    private final StreamReader reader;

    StreamWriter(Transport transport, StreamProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    /**
     * @return the transport
     */
    public Transport transport() {
        return transport;
    }

    /**
     * Upgrades the connection to TLS (asyncio's {@code StreamWriter.start_tls}): drains, then
     * handshakes, as the server if this connection came from a server, else as the client; from
     * then on this writer and its reader carry plaintext over TLS.
     *
     * @param options TLS settings: {@link StreamOptions#ssl(javax.net.ssl.SSLContext)} (required),
     *     server name, ALPN, handshake timeout
     * @return the coroutine, done when the handshake is
     * @throws IllegalArgumentException without an SSLContext
     */
    public Coroutine<Void> startTls(StreamOptions options) {
        return StartTls.upgrade(this, protocol, options);
    }

    void replaceTransport(Transport tls) {
        transport = tls;
    }

    /**
     * Writes bytes (buffered; see {@link #drain()}).
     *
     * @param data the bytes
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Writes the bytes between position and limit.
     *
     * @param data the bytes
     */
    public void write(ByteBuffer data) {
        transport.write(data);
    }

    /**
     * Writes a string as UTF-8 (a convenience; asyncio takes bytes only).
     *
     * @param text the text
     */
    public void write(String text) {
        transport.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes each array in order; on a socket with one gathering write (one system call for all
     * of them), as asyncio's {@code writelines} does.
     *
     * @param data the arrays
     */
    public void writeLines(List<byte[]> data) {
        transport.writeLines(data);
    }

    /** Shuts the output down after the buffered bytes (a half-close). */
    public void writeEof() {
        transport.writeEof();
    }

    /**
     * @return true if {@link #writeEof()} is supported
     */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection after the buffered bytes are sent. */
    public void close() {
        transport.close();
    }

    /**
     * @return true once closing
     */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Waits until the connection is closed; throws the exception it was lost with, if any.
     *
     * @return the coroutine
     */
    public Coroutine<Void> waitClosed() {
        Promise<Void> closed = protocol.closedPromise();
        return dev.coro.internal.Lazy.of(() -> closed);
    }

    /**
     * @param name {@code "peername"}, {@code "sockname"}, {@code "socket"}
     * @return the value, or null
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /**
     * Waits while the write buffer is above its high water mark. Throws the reader's exception if
     * the connection failed; after the connection was lost (by our own {@code close()} too),
     * {@link java.net.SocketException} "Connection lost".
     *
     * @return the coroutine
     */
    public Coroutine<Void> drain() {
        return new Frame<>(new Drain(), 0, 0);
    }

    /**
     * <pre>
     * state 0: reader failed? throw; closing? yield once (state 1) so connectionLost can run
     * state 1: drain helper: lost? throw; paused? await a waiter (state 2)
     * </pre>
     */
    private final class Drain implements CoroutineBody {
        private Promise<Void> waiter;

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0: {
                    Throwable e = reader == null ? null : reader.exception();
                    if (e != null) {
                        throw e;
                    }
                    if (transport.isClosing()) {
                        Object r = Frame.await(Coro.sleep(Duration.ZERO), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 1;
                            return r;
                        }
                    }
                    return helper(frame);
                }
                case 1:
                    frame.resumeValue();
                    return helper(frame);
                case 2:
                    try {
                        return frame.resumeValue();
                    } finally {
                        protocol.drainDone(waiter);
                    }
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        }

        private Object helper(Frame<?> frame) throws Throwable {
            waiter = protocol.drainWaiter();
            if (waiter == null) {
                return null;
            }
            Object r = Frame.await(waiter, frame);
            if (r == Frame.SUSPENDED) {
                frame.state = 2;
                return r;
            }
            protocol.drainDone(waiter);
            return r;
        }
    }

    @Override
    public String toString() {
        return "StreamWriter[" + transport + "]";
    }
}
