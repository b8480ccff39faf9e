package dev.coro.internal.io;

import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.Protocol;
import dev.coro.io.Transport;
import dev.coro.internal.IoPoller;
import dev.coro.internal.IoRegistration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;

/**
 * A stream socket's transport on the loop's selector (asyncio's {@code _SelectorSocketTransport}),
 * for TCP and Unix domain sockets.
 *
 * <h2>States</h2>
 * <pre>
 * | closing | connLost | meaning                                                        |
 * |---------|----------|----------------------------------------------------------------|
 * | false   | 0        | open: reading unless paused; writes go out                     |
 * | true    | 0        | close() with bytes buffered: flushing, then connectionLost     |
 * | true    | &gt;= 1     | connectionLost(exc) is scheduled or done; writes are dropped  |
 * </pre>
 * {@code eof} records {@code writeEof()}: the output is shut down once the buffer is flushed.
 *
 * <p>Reads go into one buffer per loop thread, handed to {@link Protocol#dataReceived}; it is
 * valid during the call only. Writes go straight to the socket while nothing is
 * buffered ({@code writeLines} as one gathering write); what the socket does not take is copied
 * into a growable buffer that is flushed when the socket is writable.
 */
public final class SocketTransport extends IoRegistration implements Transport {
    /** How much one read takes at most (asyncio's {@code max_size}). */
    static final int MAX_READ = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(MAX_READ));
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
    private static final System.Logger LOG = System.getLogger("dev.coro.io");

    private final EventLoop loop;
    private final SocketChannel channel;
    private Protocol protocol;
    private final Map<String, Object> extra;
    private ServerImpl server;

    private ByteBuffer pending; // write mode: bytes from 0 to position wait to be sent
    private boolean closing;
    private boolean eof;
    private boolean paused;
    private int connLost;
    private boolean protocolPaused;
    private int highWater = 64 * 1024;
    private int lowWater = 16 * 1024;

    /**
     * Wraps a connected non-blocking channel; {@code connectionMade}, then reading, then the
     * waiter's completion run in the next iteration, in that order (as in asyncio).
     *
     * @param loop the loop
     * @param poller its poller
     * @param channel a connected, non-blocking channel
     * @param protocol the protocol
     * @param waiter completed when the protocol knows the connection, or null
     * @param server the server that accepted the connection, or null
     * @param extra extra info (peername etc.)
     */
    public SocketTransport(EventLoop loop, IoPoller poller, SocketChannel channel, Protocol protocol,
            Promise<Void> waiter, ServerImpl server, Map<String, Object> extra) {
        super(poller, channel);
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.extra = extra;
        this.server = server;
        if (server != null) {
            server.attach(this);
        }
        loop.callSoon(() -> this.protocol.connectionMade(this));
        loop.callSoon(this::startReading);
        if (waiter != null) {
            loop.callSoon(() -> {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            });
        }
    }

    private void startReading() {
        if (isReading()) {
            setRead(true);
        }
    }

    private void setRead(boolean on) {
        int ops = interest();
        int next = on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ;
        if (next != ops && channel.isOpen()) {
            interest(next);
        }
    }

    private void setWrite(boolean on) {
        int ops = interest();
        int next = on ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (next != ops && channel.isOpen()) {
            interest(next);
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    protected void onReadable() {
        if (connLost != 0) {
            return;
        }
        ByteBuffer buffer = READ_BUFFER.get();
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException | RuntimeException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n == 0) {
            return;
        }
        if (n < 0) {
            onEof();
            return;
        }
        buffer.flip();
        try {
            // The loop thread's read buffer itself, valid during the call only (Protocol says so):
            // no copy and no view object per read.
            protocol.dataReceived(buffer);
        } catch (Throwable e) {
            fatalError(e, "Fatal error: protocol.data_received() call failed.");
        }
    }

    private void onEof() {
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Throwable e) {
            fatalError(e, "Fatal error: protocol.eof_received() call failed.");
            return;
        }
        if (keepOpen) {
            setRead(false);
        } else {
            close();
        }
    }

    @Override
    public void pauseReading() {
        if (!isReading()) {
            return;
        }
        paused = true;
        setRead(false);
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        setRead(true);
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(ByteBuffer data) {
        if (!mayWrite("write()", data.hasRemaining())) {
            return;
        }
        if (pending == null || pending.position() == 0) {
            try {
                channel.write(data);
            } catch (IOException | RuntimeException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            setWrite(true);
        }
        append(data);
        maybePauseProtocol();
    }

    /**
     * asyncio's {@code writelines}: the arrays go out in one gathering write (one system call
     * however many there are), and what the socket does not take is buffered in order.
     */
    @Override
    public void writeLines(List<byte[]> data) {
        ByteBuffer[] buffers = new ByteBuffer[data.size()];
        long total = 0;
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.wrap(data.get(i));
            total += buffers[i].remaining();
        }
        if (!mayWrite("writeLines()", total > 0)) {
            return;
        }
        if (pending == null || pending.position() == 0) {
            try {
                if (channel.write(buffers) == total) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            setWrite(true);
        }
        for (ByteBuffer b : buffers) {
            if (b.hasRemaining()) {
                append(b);
            }
        }
        maybePauseProtocol();
    }

    /**
     * The checks every write starts with.
     *
     * @param call the method, for the error after {@code writeEof()}
     * @param hasData whether there is anything to write
     * @return true to go on; false when there is nothing to write, or the connection is lost
     *     (the write is dropped and counted, as asyncio does)
     */
    private boolean mayWrite(String call, boolean hasData) {
        if (eof) {
            throw new IllegalStateException("Cannot call " + call + " after write_eof()");
        }
        if (!hasData) {
            return false;
        }
        if (connLost != 0) {
            if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
                LOG.log(System.Logger.Level.WARNING, "socket.send() raised exception.");
            }
            connLost++;
            return false;
        }
        return true;
    }

    private void append(ByteBuffer data) {
        int n = data.remaining();
        if (pending == null) {
            pending = ByteBuffer.allocate(Math.max(4096, n));
        } else if (pending.remaining() < n) {
            int size = pending.capacity();
            while (size - pending.position() < n) {
                size = size * 2;
            }
            ByteBuffer bigger = ByteBuffer.allocate(size);
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(data);
    }

    @Override
    protected void onWritable() {
        if (connLost != 0 || pending == null || pending.position() == 0) {
            return;
        }
        pending.flip();
        try {
            channel.write(pending);
        } catch (IOException | RuntimeException e) {
            pending.clear();
            setWrite(false);
            fatalError(e, "Fatal write error on socket transport");
            return;
        }
        pending.compact();
        maybeResumeProtocol(); // may write more
        if (pending.position() == 0) {
            if (pending.capacity() > 64 * 1024) {
                pending = null; // give a big burst's memory back
            }
            setWrite(false);
            if (closing) {
                callConnectionLost(null);
            } else if (eof) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // The connection is going away; the read side reports it.
        }
    }

    @Override
    public void writeEof() {
        if (closing || eof) {
            return;
        }
        eof = true;
        if (getWriteBufferSize() == 0) {
            shutdownOutput();
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int getWriteBufferSize() {
        return pending == null ? 0 : pending.position();
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
    }

    /**
     * Sets the water marks the asyncio way: a missing high is 4 x low (or 64 KiB), a missing low
     * is a quarter of high.
     *
     * @param high the high mark, or null
     * @param low the low mark, or null
     */
    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(lowWater, highWater);
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        int h = high != null ? high : low != null ? 4 * low : 64 * 1024;
        int l = low != null ? low : h / 4;
        setWriteBufferLimits(h, l);
    }

    private void maybePauseProtocol() {
        if (getWriteBufferSize() <= highWater || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (Throwable e) {
            loop.callExceptionHandler(context("protocol.pause_writing() failed", e));
        }
    }

    private void maybeResumeProtocol() {
        if (protocolPaused && getWriteBufferSize() <= lowWater) {
            protocolPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable e) {
                loop.callExceptionHandler(context("protocol.resume_writing() failed", e));
            }
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        setRead(false);
        if (getWriteBufferSize() == 0) {
            connLost++;
            setWrite(false);
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    private void fatalError(Throwable e, String message) {
        if (!(e instanceof IOException)) {
            loop.callExceptionHandler(context(message, e));
        }
        forceClose(e);
    }

    private Map<String, Object> context(String message, Throwable e) {
        Map<String, Object> context = EventLoop.errorContext(message, e, "transport", this);
        context.put("protocol", protocol);
        return context;
    }

    private void forceClose(Throwable e) {
        if (connLost != 0) {
            return;
        }
        if (pending != null && pending.position() > 0) {
            pending.clear();
            setWrite(false);
        }
        if (!closing) {
            closing = true;
            setRead(false);
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(e));
    }

    private void callConnectionLost(Throwable e) {
        if (!channel.isOpen()) {
            return;
        }
        try {
            protocol.connectionLost(e);
        } finally {
            deregister();
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to tell: the connection is gone.
            }
            ServerImpl s = server;
            server = null;
            if (s != null) {
                s.detach(this);
            }
        }
    }

    // ---------------------------------------------------------------- the rest

    @Override
    public Object getExtraInfo(String name) {
        if ("socket".equals(name)) {
            return channel;
        }
        Object value = extra.get(name);
        if (value == null && channel.isOpen()) {
            try {
                if ("peername".equals(name)) {
                    value = channel.getRemoteAddress();
                } else if ("sockname".equals(name)) {
                    value = channel.getLocalAddress();
                }
            } catch (IOException e) {
                return null;
            }
            if (value != null) {
                extra.put(name, value);
            }
        }
        return value;
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    @Override
    public String toString() {
        return "SocketTransport[" + (channel.isOpen() ? (closing ? "closing" : "open") : "closed") + " " + channel + "]";
    }
}
