package dev.coro.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The loop's I/O poller (asyncio's selector; Netty 4.2's {@code IoHandler}: run, register,
 * wakeup, destroy). It owns one {@link Selector}, made when the loop first does I/O: a loop that
 * never does I/O never opens one and keeps parking its thread.
 *
 * <p>Once it exists the loop blocks in {@link #poll} instead of parking, and other threads wake
 * it through {@link #wakeup()}, which calls {@link Selector#wakeup()} only when the loop is
 * blocked or about to block, once per blocking call (Netty's {@code wakenUp} flag):
 * <ul>
 *   <li>(OK) another thread queues a callback, then reads {@code blocking == false}: the loop has
 *   not yet published that it will block, and it checks its queue after publishing, so it sees
 *   the callback and polls with timeout 0.</li>
 *   <li>(OK) it reads {@code blocking == true}: it wins the {@code woken} flag and wakes the
 *   selector; a wake-up that lands after the select returned makes the next select return at
 *   once, which is a harmless spurious return.</li>
 *   <li>(BAD, avoided) waking on every call: {@code Selector.wakeup()} is a system call
 *   (a write to an eventfd), too dear for every {@code callSoonThreadsafe}.</li>
 * </ul>
 */
public final class IoPoller {
    private final Selector selector;
    private volatile boolean blocking;
    private final AtomicBoolean woken = new AtomicBoolean();
    /** Registrations with a non-zero interest set. */
    private int interested;
    /** Registrations waiting to read, write or connect (not only to accept). */
    private int streaming;

    private IoPoller(Selector selector) {
        this.selector = selector;
    }

    /**
     * Opens a poller.
     *
     * @return the poller
     * @throws UncheckedIOException if the selector cannot be opened (e.g. out of file descriptors)
     */
    public static IoPoller open() {
        warmUp();
        try {
            return new IoPoller(Selector.open());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector for the event loop: " + e.getMessage(), e);
        }
    }

    private static volatile boolean warmedUp;

    /**
     * Initializes the JDK's channel classes while descriptors are available: closing a socket
     * channel for the first time initializes a JDK dispatcher class that opens a descriptor of
     * its own, and that class initialization would fail (for good) if it first happened while the
     * process is out of descriptors, e.g. when a server under a flood closes a connection.
     */
    private static void warmUp() {
        if (warmedUp) {
            return;
        }
        try {
            java.nio.channels.SocketChannel.open().close();
            java.nio.channels.ServerSocketChannel.open().close();
            java.nio.channels.DatagramChannel.open().close();
        } catch (IOException e) {
            // Nothing to warm up with: the first real use will report the problem.
        }
        warmedUp = true;
    }

    Selector selector() {
        return selector;
    }

    void interestChanged(int before, int after) {
        if ((before != 0) != (after != 0)) {
            interested += after != 0 ? 1 : -1;
        }
        int streamOps = SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
        if (((before & streamOps) != 0) != ((after & streamOps) != 0)) {
            streaming += (after & streamOps) != 0 ? 1 : -1;
        }
    }

    /**
     * @return true while some channel waits to read, write or connect: bytes may be in flight
     */
    public boolean hasStreamInterest() {
        return streaming > 0;
    }

    /**
     * @return true while some registered channel waits for an operation
     */
    public boolean hasInterest() {
        return interested > 0;
    }

    /**
     * @return the number of registrations waiting for an operation
     */
    public int interestedCount() {
        return interested;
    }

    /**
     * Finds the registration of {@code channel}.
     *
     * @param channel a channel
     * @return its registration, or null
     */
    public IoRegistration registration(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key == null || !key.isValid() ? null : (IoRegistration) key.attachment();
    }

    /**
     * Waits for I/O and hands each ready registration to {@code sink} with its ready operations.
     *
     * @param timeoutNanos 0 to only look, a positive wait, or negative to wait until an event or
     *     a {@link #wakeup()}
     * @param mayBlock false if the caller found work meanwhile (the wait is then 0); checked after
     *     the loop has published that it blocks, see the class comment
     * @param sink receives ready keys
     * @return the number of keys handed over
     */
    public int poll(long timeoutNanos, java.util.function.BooleanSupplier mayBlock, Consumer<SelectionKey> sink) {
        try {
            if (timeoutNanos == 0) {
                return selector.selectNow(sink);
            }
            blocking = true;
            try {
                if (!mayBlock.getAsBoolean()) {
                    return selector.selectNow(sink);
                }
                if (timeoutNanos < 0) {
                    return selector.select(sink);
                }
                // Round up, as asyncio does: a wake-up before the deadline would only spin.
                long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999));
                return selector.select(sink, millis);
            } finally {
                blocking = false;
                woken.set(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("select() failed: " + e.getMessage(), e);
        }
    }

    /**
     * Makes the selector drop its cancelled keys now (a select without waiting). Ready events it
     * sees are not lost: the selector is level-triggered and reports them again at the next select.
     */
    public void flushCancelledKeys() {
        try {
            selector.selectNow(key -> { });
        } catch (IOException e) {
            // The next select reports the failure.
        }
    }

    /** Wakes the loop if it is blocked in {@link #poll}, or about to; callable from any thread. */
    public void wakeup() {
        if (blocking && woken.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Closes the selector (the registered channels stay open, as in asyncio).
     */
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing to do: the selector is gone either way.
        }
    }
}
