package dev.coro.internal;

import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * One channel registered with a loop's {@link IoPoller}: its selection key, the operations it
 * waits for, and what runs when they are ready. A plain registration runs the reader and writer
 * callbacks of {@code addReader}/{@code addWriter}; transports and servers subclass it and
 * override {@link #onReadable()} and {@link #onWritable()}, so the hot path allocates nothing.
 *
 * <p>When the poller reports a channel ready, the loop queues (registration, {@link #READ}) and
 * (registration, {@link #WRITE}) entries in its ready queue, after the callbacks already queued
 * (asyncio's {@code _process_events}); each entry checks, when it runs, that the operation is
 * still wanted, since an earlier callback of the same iteration may have removed it (asyncio
 * cancels the handle). Loop-thread only.
 */
public class IoRegistration {
    /** Argument of a ready-queue entry: the channel is readable (or acceptable). */
    public static final Integer READ = 1;
    /** Argument of a ready-queue entry: the channel is writable (or connected). */
    public static final Integer WRITE = 4;

    private final IoPoller poller;
    private final SelectableChannel channel;
    private SelectionKey key;
    private int interest;
    private Runnable reader;
    private Runnable writer;

    /**
     * @param poller the loop's poller
     * @param channel a non-blocking channel
     */
    protected IoRegistration(IoPoller poller, SelectableChannel channel) {
        this.poller = poller;
        this.channel = channel;
    }

    /**
     * @return the channel
     */
    public final SelectableChannel channel() {
        return channel;
    }

    /**
     * @return the poller
     */
    public final IoPoller poller() {
        return poller;
    }

    /**
     * Sets the operations waited for ({@link SelectionKey#OP_READ} etc.); registers the channel on
     * first use and cancels the key when {@code ops} is 0 and the channel is closed.
     *
     * @param ops the operations
     * @throws java.io.UncheckedIOException if the channel is closed while ops is not 0
     */
    public final void interest(int ops) {
        if (ops == interest) {
            return;
        }
        if (key == null || !key.isValid()) {
            if (ops == 0) {
                poller.interestChanged(interest, 0); // the channel was closed under us
                interest = 0;
                return;
            }
            // A channel has one key per selector for its whole life (a cancelled key cannot be
            // registered again before the next select), so a new registration takes it over.
            SelectionKey existing = channel.keyFor(poller.selector());
            if (existing != null && existing.isValid()) {
                key = existing;
                existing.attach(this);
                existing.interestOps(ops);
            } else {
                try {
                    key = channel.register(poller.selector(), ops, this);
                } catch (ClosedChannelException e) {
                    throw new java.io.UncheckedIOException("the channel is closed", e);
                }
            }
        } else {
            key.interestOps(ops);
        }
        poller.interestChanged(interest, ops);
        interest = ops;
    }

    /**
     * @return the operations waited for
     */
    public final int interest() {
        return interest;
    }

    /**
     * Forgets the registration: no more events; the channel stays open and may be registered
     * again. Closing the channel cancels its key.
     */
    public final void deregister() {
        if (key != null && key.isValid()) {
            interest(0);
            if (key.attachment() == this) {
                key.attach(null);
            }
        } else {
            poller.interestChanged(interest, 0);
            interest = 0;
        }
        key = null;
    }

    /**
     * @param ready ready operations from the selector
     * @return true if some of them are read-side and wanted
     */
    public final boolean wantsRead(int ready) {
        return (ready & interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0;
    }

    /**
     * @param ready ready operations from the selector
     * @return true if some of them are write-side and wanted
     */
    public final boolean wantsWrite(int ready) {
        return (ready & interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0;
    }

    /**
     * Runs a ready-queue entry of this registration.
     *
     * @param what {@link #READ} or {@link #WRITE}
     */
    public final void dispatch(Object what) {
        if (what == READ) {
            if ((interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
                onReadable();
            }
        } else if ((interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            onWritable();
        }
    }

    /** The channel is readable (or has a connection to accept). */
    protected void onReadable() {
        Runnable r = reader;
        if (r != null) {
            r.run();
        }
    }

    /** The channel is writable (or its connection attempt finished). */
    protected void onWritable() {
        Runnable w = writer;
        if (w != null) {
            w.run();
        }
    }

    /**
     * @return true for the registration of {@code addReader}/{@code addWriter} (not a transport's)
     */
    public boolean isPlain() {
        return getClass() == IoRegistration.class;
    }

    /**
     * Finds or makes the plain registration of {@code channel} ({@code addReader} and the
     * {@code sock*} operations).
     *
     * @param poller the loop's poller
     * @param channel the channel
     * @return the registration
     * @throws IllegalStateException if a transport or server uses the channel (asyncio's
     *     "File descriptor ... is used by transport")
     * @throws IllegalArgumentException if the channel is in blocking mode
     */
    public static IoRegistration plain(IoPoller poller, SelectableChannel channel) {
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking: call configureBlocking(false) on " + channel);
        }
        IoRegistration r = poller.registration(channel);
        if (r == null) {
            return new IoRegistration(poller, channel);
        }
        if (!r.isPlain()) {
            throw new IllegalStateException("Channel " + channel + " is used by " + r
                    + ": a transport owns its reads and writes");
        }
        return r;
    }

    /**
     * @return the reader callback of a plain registration, or null
     */
    public final Runnable currentReader() {
        return reader;
    }

    /**
     * @return the writer callback of a plain registration, or null
     */
    public final Runnable currentWriter() {
        return writer;
    }

    /**
     * Plain registrations: sets the reader callback and the read interest.
     *
     * @param callback the callback, or null to remove it
     * @return true if a reader was set before
     */
    public final boolean reader(Runnable callback) {
        boolean had = reader != null;
        reader = callback;
        int readOp = (channel.validOps() & SelectionKey.OP_ACCEPT) != 0 ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
        interest(callback != null ? interest | readOp : interest & ~readOp);
        releaseIfIdle();
        return had;
    }

    /**
     * Plain registrations: sets the writer callback and the write interest.
     *
     * @param callback the callback, or null to remove it
     * @return true if a writer was set before
     */
    public final boolean writer(Runnable callback) {
        boolean had = writer != null;
        writer = callback;
        // A socket whose connect() is pending reports the end of the attempt as OP_CONNECT only.
        int writeOp = channel instanceof java.nio.channels.SocketChannel
                && ((java.nio.channels.SocketChannel) channel).isConnectionPending()
                ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        int both = SelectionKey.OP_WRITE | (channel.validOps() & SelectionKey.OP_CONNECT);
        interest(callback != null ? (interest & ~both) | writeOp : interest & ~both);
        releaseIfIdle();
        return had;
    }

    /**
     * A plain registration that waits for nothing gives its key back (asyncio's
     * {@code selector.unregister}), and the selector forgets it at once: NIO closes a channel
     * that is still registered only at the selector's next select, so a {@code close()} right
     * after a {@code sock*} operation would otherwise leave the socket open (a listening socket
     * would still take connections and reset them, instead of refusing them).
     */
    private void releaseIfIdle() {
        if (interest == 0 && key != null) {
            key.cancel();
            key = null;
            poller.flushCancelledKeys();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + channel + ", interest=" + interest + "]";
    }
}
