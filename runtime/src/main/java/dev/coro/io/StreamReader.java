package dev.coro.io;

import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The read side of a stream connection (asyncio's {@code StreamReader}). Loop-thread only.
 *
 * <p>Every read returns a coroutine that starts when awaited and takes bytes from the buffer only
 * when it can finish: a read that is cancelled while it waits consumes nothing, and the next read
 * gets the bytes. One read may wait at a time ({@link IllegalStateException} otherwise, as
 * asyncio's {@code RuntimeError}).
 *
 * <p>The {@linkplain #StreamReader(int) limit} bounds a line ({@link #readLine}, {@link #readUntil});
 * when more than twice the limit is buffered, the transport stops reading until reads drain it.
 * After the connection failed, every read throws that same exception object.
 */
public final class StreamReader {
    /** asyncio's {@code _DEFAULT_LIMIT}: 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];
    private static final byte[][] NEWLINE = {{'\n'}};

    private final int limit;
    private byte[] buffer = new byte[1024];
    private int start;
    private int end;
    private boolean eof;
    private Promise<Void> waiter;
    private Throwable exception;
    private Transport transport;
    private boolean paused;
    private EventLoop loop;

    /**
     * A reader with the default limit.
     */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * @param limit the line limit
     * @throws IllegalArgumentException if not positive
     */
    public StreamReader(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0");
        }
        this.limit = limit;
    }

    /**
     * @return the line limit
     */
    public int limit() {
        return limit;
    }

    /**
     * @return the exception the connection failed with, or null
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * Fails the reader: a waiting read and every later read throw {@code e}.
     *
     * @param e the exception
     */
    public void setException(Throwable e) {
        exception = e;
        Promise<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isCancelled()) {
                w.setException(e);
                w.exception(); // retrieved here: the read that awaits it reports it
            }
        }
    }

    /**
     * Connects the reader to its transport (flow control).
     *
     * @param transport the transport
     */
    public void setTransport(Transport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = transport;
    }

    /** The peer sent EOF. */
    public void feedEof() {
        eof = true;
        wakeupWaiter();
    }

    /**
     * @return true at EOF with nothing buffered
     */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * Adds received bytes.
     *
     * @param data the bytes (copied)
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(ByteBuffer data) {
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ensureRoom(n);
        data.get(buffer, end, n);
        end += n;
        wakeupWaiter();
        if (transport != null && !paused && end - start > 2 * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    /**
     * Adds received bytes.
     *
     * @param data the bytes (copied)
     */
    public void feedData(byte[] data) {
        feedData(ByteBuffer.wrap(data));
    }

    /**
     * @return the number of bytes buffered
     */
    public int buffered() {
        return end - start;
    }

    private void ensureRoom(int n) {
        if (buffer.length - end >= n) {
            return;
        }
        int size = end - start;
        if (buffer.length - size >= n && start > 0 && size <= buffer.length / 2) {
            System.arraycopy(buffer, start, buffer, 0, size);
        } else {
            int capacity = buffer.length;
            while (capacity - size < n) {
                capacity *= 2;
            }
            byte[] bigger = new byte[capacity];
            System.arraycopy(buffer, start, bigger, 0, size);
            buffer = bigger;
        }
        start = 0;
        end = size;
    }

    private void wakeupWaiter() {
        Promise<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isCancelled()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buffer, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
        maybeResumeTransport();
        return out;
    }

    private byte[] takeAll() {
        byte[] out = Arrays.copyOfRange(buffer, start, end);
        start = 0;
        end = 0;
        return out;
    }

    private void discard(int n) {
        start += n;
        if (start >= end) {
            start = 0;
            end = 0;
        }
    }

    private int find(byte[] separator, int offset) {
        int last = end - separator.length;
        outer:
        for (int i = start + offset; i <= last; i++) {
            for (int j = 0; j < separator.length; j++) {
                if (buffer[i + j] != separator[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    private boolean startsWith(byte[] separator, int offset) {
        if (end - start - offset < separator.length) {
            return false;
        }
        for (int j = 0; j < separator.length; j++) {
            if (buffer[start + offset + j] != separator[j]) {
                return false;
            }
        }
        return true;
    }

    /** Called by a read that must wait: one waiter at a time; un-pauses the transport. */
    private Promise<Void> waitForData(String function) {
        if (waiter != null) {
            throw new IllegalStateException(function
                    + "() called while another coroutine is already waiting for incoming data");
        }
        if (eof) {
            throw new IllegalStateException("_wait_for_data after EOF");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        if (loop == null) {
            loop = dev.coro.Coro.loop();
        }
        waiter = loop.createPromise();
        return waiter;
    }

    // ---------------------------------------------------------------- reads

    /**
     * Reads up to {@code n} bytes: what is buffered, or waits for some; an empty array at EOF or
     * for {@code n == 0}. {@code n < 0} reads to EOF, like {@link #read()}.
     *
     * @param n the most bytes
     * @return the coroutine of the bytes
     */
    public Coroutine<byte[]> read(int n) {
        return new Frame<>(new Read(n < 0 ? Read.ALL : Read.SOME, n, null), 0, 0);
    }

    /**
     * Reads everything to EOF. The bytes stay buffered until EOF, so a cancelled read loses nothing.
     *
     * @return the coroutine of the bytes
     */
    public Coroutine<byte[]> read() {
        return read(-1);
    }

    /**
     * Reads exactly {@code n} bytes; at EOF first, throws {@link IncompleteReadException} with
     * the bytes read (and clears the buffer). {@code n} may exceed the limit.
     *
     * @param n how many
     * @return the coroutine of the bytes
     */
    public Coroutine<byte[]> readExactly(int n) {
        return new Frame<>(new Read(Read.EXACTLY, n, null), 0, 0);
    }

    /**
     * Reads up to and including {@code separator}. At EOF first: {@link IncompleteReadException}
     * with the buffered bytes (the buffer is cleared). A chunk longer than the limit:
     * {@link LimitOverrunException}, with the buffer left as it was.
     *
     * @param separator the separator (not empty)
     * @return the coroutine of the bytes
     */
    public Coroutine<byte[]> readUntil(byte[] separator) {
        return readUntil(new byte[][] {separator});
    }

    /**
     * Like {@link #readUntil(byte[])} with several separators (asyncio 3.13): the chunk ends at
     * the first match; where matches end at the same place, the shortest wins.
     *
     * @param separators the separators (at least one, none empty)
     * @return the coroutine of the bytes
     */
    public Coroutine<byte[]> readUntil(byte[]... separators) {
        byte[][] sorted = separators.clone();
        Arrays.sort(sorted, Comparator.comparingInt(s -> s.length));
        return new Frame<>(new Read(Read.UNTIL, 0, sorted), 0, 0);
    }

    /**
     * Reads a line ending in {@code \n} (kept); at EOF the partial line, then an empty array. A
     * line longer than the limit throws {@link LimitOverrunException} after dropping it (asyncio's
     * {@code readline}, which raises {@code ValueError}): the whole line and its {@code \n} when
     * the separator is buffered, otherwise the whole buffer.
     *
     * @return the coroutine of the line
     */
    public Coroutine<byte[]> readLine() {
        return new Frame<>(new Read(Read.LINE, 0, NEWLINE), 0, 0);
    }

    /** Not done yet: wait for data and try again. */
    private static final Object NEED_DATA = new Object() {
        @Override
        public String toString() {
            return "<NEED_DATA>";
        }
    };

    /**
     * One read as a coroutine body:
     * <pre>
     * state 0: attempt; if it needs data, await a waiter (state 1)
     * state 1: woken (the waiter is cleared however the wait ended); attempt again
     * </pre>
     */
    private final class Read implements CoroutineBody {
        static final int SOME = 0;
        static final int ALL = 1;
        static final int EXACTLY = 2;
        static final int UNTIL = 3;
        static final int LINE = 4;
        private final int kind;
        private final int n;
        private final byte[][] separators;
        private int offset;

        Read(int kind, int n, byte[][] separators) {
            this.kind = kind;
            this.n = n;
            this.separators = separators;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            if (frame.state == 0) {
                check();
            } else {
                try {
                    frame.resumeValue();
                } finally {
                    waiter = null;
                }
            }
            for (;;) {
                Object value = attempt();
                if (value != NEED_DATA) {
                    return value;
                }
                Object r = Frame.await(waitForData(name()), frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 1;
                    return r;
                }
                waiter = null;
            }
        }

        private void check() {
            if (kind == EXACTLY && n < 0) {
                throw new IllegalArgumentException("readexactly size can not be less than zero");
            }
            if (kind == UNTIL || kind == LINE) {
                if (separators.length == 0) {
                    throw new IllegalArgumentException("Separator should contain at least one element");
                }
                if (separators[0].length == 0) {
                    throw new IllegalArgumentException("Separator should be at least one-byte string");
                }
            }
        }

        private String name() {
            switch (kind) {
                case EXACTLY:
                    return "readexactly";
                case UNTIL:
                case LINE:
                    return "readuntil";
                default:
                    return "read";
            }
        }

        private Object attempt() throws Throwable {
            switch (kind) {
                case SOME:
                    return attemptSome();
                case ALL:
                    if (exception != null) {
                        throw exception;
                    }
                    return eof ? takeAll() : NEED_DATA;
                case EXACTLY:
                    return attemptExactly();
                case UNTIL:
                    return attemptUntil();
                default:
                    return attemptLine();
            }
        }

        private Object attemptSome() throws Throwable {
            if (exception != null) {
                throw exception;
            }
            if (n == 0) {
                return EMPTY;
            }
            if (start == end) {
                return eof ? EMPTY : NEED_DATA;
            }
            return take(Math.min(n, end - start));
        }

        private Object attemptExactly() throws Throwable {
            if (exception != null) {
                throw exception;
            }
            if (n == 0) {
                return EMPTY;
            }
            if (end - start < n) {
                if (eof) {
                    throw new IncompleteReadException(takeAll(), n);
                }
                return NEED_DATA;
            }
            return take(n);
        }

        private Object attemptUntil() throws Throwable {
            if (exception != null) {
                throw exception;
            }
            int minLength = separators[0].length;
            int maxLength = separators[separators.length - 1].length;
            int length = end - start;
            if (length - offset >= minLength) {
                int matchStart = -1;
                int matchEnd = -1;
                for (byte[] separator : separators) {
                    int at = find(separator, offset);
                    if (at != -1) {
                        int e = at + separator.length;
                        if (matchEnd == -1 || e < matchEnd) {
                            matchEnd = e;
                            matchStart = at;
                        }
                    }
                }
                if (matchEnd != -1) {
                    if (matchStart > limit) {
                        throw new LimitOverrunException("Separator is found, but chunk is longer than limit", matchStart);
                    }
                    return take(matchEnd);
                }
                offset = Math.max(0, length + 1 - maxLength);
                if (offset > limit) {
                    throw new LimitOverrunException("Separator is not found, and chunk exceed the limit", offset);
                }
            }
            if (eof) {
                throw new IncompleteReadException(takeAll(), null);
            }
            return NEED_DATA;
        }

        private Object attemptLine() throws Throwable {
            try {
                return attemptUntil();
            } catch (IncompleteReadException e) {
                return e.partial();
            } catch (LimitOverrunException e) {
                if (startsWith(NEWLINE[0], e.consumed())) {
                    discard(e.consumed() + 1);
                } else {
                    start = 0;
                    end = 0;
                }
                maybeResumeTransport();
                throw new LimitOverrunException(e.getMessage(), e.consumed());
            }
        }

        @Override
        public String toString() {
            return "StreamReader." + name();
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("StreamReader[");
        if (end > start) {
            s.append(end - start).append(" bytes");
        }
        if (eof) {
            s.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            s.append(" limit=").append(limit);
        }
        if (waiter != null) {
            s.append(" waiter");
        }
        if (exception != null) {
            s.append(" exception=").append(exception);
        }
        if (paused) {
            s.append(" paused");
        }
        return s.append(']').toString();
    }
}
