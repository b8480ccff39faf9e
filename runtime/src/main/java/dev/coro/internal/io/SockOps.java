package dev.coro.internal.io;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.Datagram;
import dev.coro.internal.IoPoller;
import dev.coro.internal.IoRegistration;
import dev.coro.internal.Lazy;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * asyncio's {@code loop.sock_*} coroutines on non-blocking channels. Each one starts when it is
 * first awaited: it tries the operation at once, and only if the channel is not ready does it
 * register a reader or writer and wait. The callback checks that the wait is still wanted before
 * it touches the channel, so a cancelled receive consumes no bytes: the next receive gets them.
 * The reader or writer is removed when the wait ends, however it ends.
 */
public final class SockOps {
    private SockOps() {
    }

    private static IoRegistration plain(IoPoller poller, SelectableChannel channel) {
        return IoRegistration.plain(poller, channel);
    }

    /** Waits on the read side; {@code attempt} returns null while it must wait. */
    private static <T> Promise<T> waitReadable(EventLoop loop, IoPoller poller, SelectableChannel channel, IoAttempt<T> attempt) {
        Promise<T> promise = loop.createPromise();
        IoRegistration registration = plain(poller, channel);
        Runnable callback = new Runnable() {
            @Override
            public void run() {
                complete(promise, attempt);
            }
        };
        registration.reader(callback);
        promise.addDoneCallback(p -> {
            if (registration.currentReader() == callback) {
                registration.reader(null);
            }
        });
        return promise;
    }

    private static <T> Promise<T> waitWritable(EventLoop loop, IoPoller poller, SelectableChannel channel, IoAttempt<T> attempt) {
        Promise<T> promise = loop.createPromise();
        IoRegistration registration = plain(poller, channel);
        Runnable callback = () -> complete(promise, attempt);
        registration.writer(callback);
        promise.addDoneCallback(p -> {
            if (registration.currentWriter() == callback) {
                registration.writer(null);
            }
        });
        return promise;
    }

    /** An attempt's result meaning "done, with the value null". */
    private static final Object VOID = new Object() {
        @Override
        public String toString() {
            return "<VOID>";
        }
    };

    @SuppressWarnings("unchecked")
    private static <T> void complete(Promise<T> promise, IoAttempt<T> attempt) {
        if (promise.isDone()) {
            return; // cancelled: leave the bytes for the next receive
        }
        T value;
        try {
            value = attempt.attempt();
        } catch (Throwable e) {
            promise.setException(e);
            return;
        }
        if (value != null) {
            promise.setResult(value == VOID ? null : value);
        }
    }

    /** A promise completed by an attempt that returns {@link #VOID}: its value is null. */
    @SuppressWarnings("unchecked")
    private static Promise<Void> voidPromise(Promise<Object> promise) {
        return (Promise<Void>) (Promise<?>) promise;
    }

    /** One try of an operation: its result, or null if the channel is not ready. */
    @FunctionalInterface
    interface IoAttempt<T> {
        T attempt() throws IOException;
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking socket
     * @param max the most bytes to receive
     * @return up to {@code max} bytes; empty at EOF
     */
    public static Coroutine<byte[]> recv(EventLoop loop, IoPoller poller, SocketChannel channel, int max) {
        if (max < 0) {
            throw new IllegalArgumentException("sockRecv(" + max + "): the size must be >= 0");
        }
        plain(poller, channel);
        return Lazy.of(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(max);
            IoAttempt<byte[]> attempt = () -> {
                if (max == 0) {
                    return new byte[0];
                }
                int n = channel.read(buffer);
                return n < 0 ? new byte[0] : n == 0 ? null : Arrays.copyOf(buffer.array(), n);
            };
            byte[] now = attempt.attempt();
            return now != null ? Coro.done(now) : waitReadable(loop, poller, channel, attempt);
        });
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking socket
     * @param buffer where to put the bytes (from its position)
     * @return how many bytes were received; 0 at EOF
     */
    public static Coroutine<Integer> recvInto(EventLoop loop, IoPoller poller, SocketChannel channel, ByteBuffer buffer) {
        plain(poller, channel);
        return Lazy.of(() -> {
            IoAttempt<Integer> attempt = () -> {
                if (!buffer.hasRemaining()) {
                    return 0;
                }
                int n = channel.read(buffer);
                return n < 0 ? Integer.valueOf(0) : n == 0 ? null : Integer.valueOf(n);
            };
            Integer now = attempt.attempt();
            return now != null ? Coro.done(now) : waitReadable(loop, poller, channel, attempt);
        });
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking socket
     * @param data the bytes (from position to limit; not to be changed until done)
     * @return completes when every byte was handed to the system
     */
    public static Coroutine<Void> sendAll(EventLoop loop, IoPoller poller, SocketChannel channel, ByteBuffer data) {
        plain(poller, channel);
        return Lazy.of(() -> {
            channel.write(data);
            if (!data.hasRemaining()) {
                return Coro.done();
            }
            IoAttempt<Object> attempt = () -> {
                channel.write(data);
                return data.hasRemaining() ? null : VOID;
            };
            return voidPromise(waitWritable(loop, poller, channel, attempt));
        });
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking socket
     * @param address where to connect (resolved)
     * @return completes when connected; throws {@link java.net.ConnectException} when refused
     */
    public static Coroutine<Void> connect(EventLoop loop, IoPoller poller, SocketChannel channel, SocketAddress address) {
        plain(poller, channel);
        return Lazy.of(() -> {
            if (channel.connect(address)) {
                return Coro.done();
            }
            IoAttempt<Object> attempt = () -> channel.finishConnect() ? VOID : null;
            return voidPromise(waitWritable(loop, poller, channel, attempt));
        });
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking listening socket
     * @return the accepted connection, non-blocking
     */
    public static Coroutine<SocketChannel> accept(EventLoop loop, IoPoller poller, ServerSocketChannel channel) {
        plain(poller, channel);
        return Lazy.of(() -> {
            IoAttempt<SocketChannel> attempt = () -> {
                SocketChannel c = channel.accept();
                if (c != null) {
                    c.configureBlocking(false);
                }
                return c;
            };
            SocketChannel now = attempt.attempt();
            return now != null ? Coro.done(now) : waitReadable(loop, poller, channel, attempt);
        });
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking datagram socket
     * @param max the largest datagram kept (the rest is dropped)
     * @return the datagram and its sender
     */
    public static Coroutine<Datagram> recvFrom(EventLoop loop, IoPoller poller, DatagramChannel channel, int max) {
        plain(poller, channel);
        return Lazy.of(() -> {
            IoAttempt<Datagram> attempt = () -> {
                ByteBuffer buffer = ByteBuffer.allocate(max);
                SocketAddress from = channel.receive(buffer);
                return from == null ? null : new Datagram(Arrays.copyOf(buffer.array(), buffer.position()), from);
            };
            Datagram now = attempt.attempt();
            return now != null ? Coro.done(now) : waitReadable(loop, poller, channel, attempt);
        });
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a non-blocking datagram socket
     * @param data the datagram
     * @param address the receiver
     * @return the number of bytes sent
     */
    public static Coroutine<Integer> sendTo(EventLoop loop, IoPoller poller, DatagramChannel channel, ByteBuffer data,
            SocketAddress address) {
        plain(poller, channel);
        return Lazy.of(() -> {
            int size = data.remaining();
            IoAttempt<Integer> attempt = () -> channel.send(data, address) > 0 || size == 0 ? Integer.valueOf(size) : null;
            Integer now = attempt.attempt();
            return now != null ? Coro.done(now) : waitWritable(loop, poller, channel, attempt);
        });
    }
}
