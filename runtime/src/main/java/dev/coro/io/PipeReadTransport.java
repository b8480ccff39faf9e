package dev.coro.io;

import dev.coro.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read end of a child's stdout or stderr pipe (asyncio's {@code _UnixReadPipeTransport}).
 * The JVM's pipe streams block, so a daemon <b>pump thread</b> reads them and hands each chunk
 * to the loop with {@link EventLoop#callSoonThreadsafe}, where the protocol gets it.
 *
 * <p>Backpressure: the pump reads only while it may. It waits (a) while reading is paused
 * ({@link #pauseReading()}: the {@link StreamReader} pauses above twice its limit and resumes at
 * or below its limit) and (b) while chunks it handed over are not yet delivered on the loop
 * ({@code inFlight} at or above {@code maxInFlight}). So at most {@code 2 * limit + chunk} bytes sit
 * in the reader and {@code maxInFlight + chunk} in transit; the rest stays in the OS pipe, and
 * the child blocks writing when that is full.
 *
 * <p>The pump ends at EOF, which comes when the child exits (the JDK drains what is left in the
 * pipe and ends the stream; a grandchild holding the pipe may delay that); after {@link #close()} it
 * ends at its next chunk; and when the loop is closed.
 */
final class PipeReadTransport implements Transport {
    private final EventLoop loop;
    private final InputStream in;
    private final String name;
    private final int chunk;
    private final int maxInFlight;
    private Protocol protocol;
    /** Loop thread: close()/abort() called or the pipe ended; nothing more is delivered. */
    private boolean closing;
    private boolean lost;

    /** Guards the fields below; the pump waits on {@link #mayRead}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition mayRead = lock.newCondition();
    private boolean paused;
    private boolean closed;
    private int inFlight;

    PipeReadTransport(EventLoop loop, InputStream in, String name, int limit) {
        this.loop = loop;
        this.in = in;
        this.name = name;
        this.chunk = Math.max(1024, Math.min(limit, 64 * 1024));
        this.maxInFlight = 2 * chunk;
    }

    /** Connects the protocol and starts the pump; loop thread. */
    void start(Protocol protocol) {
        this.protocol = protocol;
        protocol.connectionMade(this);
        Thread pump = new Thread(this::pump, name);
        pump.setDaemon(true);
        pump.start();
    }

    // ---------------------------------------------------------------- pump thread

    private void pump() {
        byte[] buffer = new byte[chunk];
        try (InputStream stream = in) {
            for (;;) {
                lock.lock();
                try {
                    while (!closed && (paused || inFlight >= maxInFlight)) {
                        mayRead.await();
                    }
                    if (closed) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                int n = stream.read(buffer);
                if (n < 0) {
                    post(this::eofReceived);
                    return;
                }
                if (n == 0) {
                    continue;
                }
                byte[] data = Arrays.copyOf(buffer, n);
                lock.lock();
                try {
                    inFlight += n;
                } finally {
                    lock.unlock();
                }
                if (!post(() -> dataReceived(data))) {
                    return;
                }
            }
        } catch (IOException e) {
            post(() -> failed(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return false if the loop is closed (the pump then stops) */
    private boolean post(Runnable action) {
        try {
            loop.callSoonThreadsafe(action);
            return true;
        } catch (IllegalStateException loopClosed) {
            return false;
        }
    }

    // ---------------------------------------------------------------- loop thread

    private void dataReceived(byte[] data) {
        // Order is important here: the protocol may pause reading while it takes the data, and
        // the pump must see that pause before inFlight drops and lets it read again.
        assert loop.inLoop();
        try {
            if (!closing) {
                protocol.dataReceived(ByteBuffer.wrap(data));
            }
        } finally {
            // even if the protocol threw (reported by the loop), or the pump would wait forever
            lock.lock();
            try {
                inFlight -= data.length;
                mayRead.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    private void eofReceived() {
        if (closing) {
            return;
        }
        closing = true;
        protocol.eofReceived();
        connectionLost(null);
    }

    private void failed(IOException e) {
        if (closing) {
            return;
        }
        closing = true;
        connectionLost(e);
    }

    private void connectionLost(Throwable e) {
        if (!lost) {
            lost = true;
            protocol.connectionLost(e);
        }
    }

    @Override
    public void pauseReading() {
        lock.lock();
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resumeReading() {
        lock.lock();
        try {
            paused = false;
            mayRead.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isReading() {
        lock.lock();
        try {
            return !paused && !closing;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops delivering; the protocol's {@code connectionLost(null)} follows in a later callback.
     * The pump stops at its next chunk (or at once if it waits); a read it is blocked in is not
     * interrupted, so the pipe is closed when that read returns.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        lock.lock();
        try {
            closed = true;
            mayRead.signal();
        } finally {
            lock.unlock();
        }
        loop.callSoon(() -> connectionLost(null));
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public Object getExtraInfo(String key) {
        return "pipe".equals(key) ? in : null;
    }

    @Override
    public void write(ByteBuffer data) {
        throw new UnsupportedOperationException(name + " is a read-only pipe");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException(name + " is a read-only pipe");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw new UnsupportedOperationException(name + " is a read-only pipe");
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        throw new UnsupportedOperationException(name + " is a read-only pipe");
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(0, 0);
    }

    @Override
    public int getWriteBufferSize() {
        return 0;
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    /**
     * @return the bytes handed to the loop but not yet delivered (for tests and toString)
     */
    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PipeReadTransport[" + name + (closing ? " closing" : "") + (paused ? " paused" : "")
                + " inFlight=" + inFlight() + "]";
    }
}
