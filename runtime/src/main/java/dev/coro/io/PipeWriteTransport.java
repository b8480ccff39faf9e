package dev.coro.io;

import dev.coro.EventLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The write end of a child's stdin pipe (asyncio's {@code _UnixWritePipeTransport}). Writes
 * never block the loop: each is copied into a queue that a daemon <b>writer thread</b> empties
 * into the JVM's (blocking) pipe stream; the thread reports each batch written back to the loop
 * with {@link EventLoop#callSoonThreadsafe}.
 *
 * <p>Backpressure is asyncio's: the queued bytes ({@link #getWriteBufferSize()}) count as the
 * write buffer; above the high water mark (64 KiB) the protocol is paused, so
 * {@link StreamWriter#drain()} waits, and it resumes at or below the low mark (16 KiB). A writer
 * that awaits {@code drain()} after each write holds at most the high mark plus one write.
 *
 * <p>The thread ends after {@link #close()} (or {@link #writeEof()}, the same for a pipe) once the
 * queue is written, when a write fails (the child closed its end: a broken pipe), and when the
 * child exits ({@link #processExited()}).
 */
final class PipeWriteTransport implements Transport {
    /** Queue sentinel: flush, close the pipe, report connectionLost(null). */
    private static final Object EOF = new Object() {
        @Override
        public String toString() {
            return "<EOF>";
        }
    };

    private final EventLoop loop;
    private final OutputStream out;
    private final String name;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Protocol protocol;
    // loop thread only
    private int high = 64 * 1024;
    private int low = 16 * 1024;
    private long bufferSize;
    private boolean protocolPaused;
    private boolean closing;
    private boolean lost;

    PipeWriteTransport(EventLoop loop, OutputStream out, String name) {
        this.loop = loop;
        this.out = out;
        this.name = name;
    }

    /** Connects the protocol and starts the writer thread; loop thread. */
    void start(Protocol protocol) {
        this.protocol = protocol;
        protocol.connectionMade(this);
        Thread writer = new Thread(this::writeLoop, name);
        writer.setDaemon(true);
        writer.start();
    }

    // ---------------------------------------------------------------- writer thread

    private void writeLoop() {
        IOException failure = null;
        try {
            for (;;) {
                Object item = queue.take();
                if (item == EOF) {
                    break;
                }
                long written = 0;
                // write what is queued, then flush once
                while (item != null && item != EOF) {
                    byte[] data = (byte[]) item;
                    out.write(data);
                    written += data.length;
                    item = queue.poll();
                }
                out.flush();
                long n = written;
                if (!post(() -> written(n)) || item == EOF) {
                    break;
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queue.clear();
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        IOException f = failure;
        post(() -> connectionLost(f));
    }

    private boolean post(Runnable action) {
        try {
            loop.callSoonThreadsafe(action);
            return true;
        } catch (IllegalStateException loopClosed) {
            return false;
        }
    }

    // ---------------------------------------------------------------- loop thread

    private void written(long n) {
        if (lost) {
            return;
        }
        bufferSize -= n;
        if (protocolPaused && bufferSize <= low) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
    }

    private void connectionLost(IOException e) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        bufferSize = 0;
        protocol.connectionLost(e);
    }

    /** The child exited: the thread stops after what is queued (writing it fails if no one reads). */
    void processExited() {
        if (!closing) {
            closing = true;
            queue.add(EOF);
        }
    }

    /**
     * Queues a copy of the bytes. Ignored once closing or lost, as asyncio's pipe transport does
     * (a pipe's {@code writeEof()} is its {@code close()}).
     */
    @Override
    public void write(ByteBuffer data) {
        assert loop.inLoop();
        int n = data.remaining();
        if (n == 0 || closing) {
            data.position(data.limit());
            return;
        }
        byte[] copy = new byte[n];
        data.get(copy);
        bufferSize += n;
        queue.add(copy);
        if (!protocolPaused && bufferSize > high) {
            protocolPaused = true;
            protocol.pauseWriting();
        }
    }

    /** Closes the pipe once the queue is written (the child sees EOF); same as {@link #close()}. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    /** Closes the pipe once the queue is written; {@code connectionLost(null)} follows. Idempotent. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(EOF);
    }

    /**
     * Drops what is queued and closes the pipe; {@code connectionLost(null)} follows. A write the
     * thread is blocked in (the child does not read) is not interrupted: the pipe is closed when
     * it returns or the child exits.
     */
    @Override
    public void abort() {
        closing = true;
        queue.clear();
        queue.add(EOF);
        loop.callSoon(() -> connectionLost(null));
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException(name + " is a write-only pipe");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException(name + " is a write-only pipe");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public Object getExtraInfo(String key) {
        return "pipe".equals(key) ? out : null;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        this.high = high;
        this.low = low;
        if (!protocolPaused && bufferSize > high) {
            protocolPaused = true;
            protocol.pauseWriting();
        } else if (protocolPaused && bufferSize <= low) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
    }

    @Override
    public void setWriteBufferLimits(Integer high, Integer low) {
        int h = high != null ? high : low != null ? 4 * low : 64 * 1024;
        int l = low != null ? low : h / 4;
        setWriteBufferLimits(h, l);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(low, high);
    }

    @Override
    public int getWriteBufferSize() {
        return (int) Math.min(Integer.MAX_VALUE, bufferSize);
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
        return "PipeWriteTransport[" + name + (closing ? " closing" : "") + (lost ? " lost" : "")
                + " buffered=" + bufferSize + "]";
    }
}
