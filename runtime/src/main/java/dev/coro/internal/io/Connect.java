package dev.coro.internal.io;

import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.Protocol;
import dev.coro.io.Transport;
import dev.coro.internal.IoPoller;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * asyncio's {@code create_connection} / {@code create_unix_connection} for one resolved address:
 * connect a non-blocking socket, make the protocol and its transport, and return once the
 * protocol's {@code connectionMade} ran. If anything fails or the caller is cancelled, the socket
 * (or the transport) is closed.
 *
 * <pre>
 * state 0: open, start connecting; await sockConnect     (state 1)
 * state 1: connected: make transport; await its waiter   (state 2)
 * state 2: return the transport
 * </pre>
 */
public final class Connect implements CoroutineBody {
    private final EventLoop loop;
    private final IoPoller poller;
    private final Supplier<? extends Protocol> factory;
    private final SocketAddress address;
    private final Consumer<SocketChannel> configure;
    private SocketChannel channel;
    private SocketTransport transport;

    private Connect(EventLoop loop, IoPoller poller, Supplier<? extends Protocol> factory, SocketAddress address,
            Consumer<SocketChannel> configure) {
        this.loop = loop;
        this.poller = poller;
        this.factory = factory;
        this.address = address;
        this.configure = configure;
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param factory makes the protocol
     * @param address a resolved {@code InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @param configure called with the channel before it connects (socket options), or null
     * @return the coroutine of the transport
     */
    public static Coroutine<Transport> connect(EventLoop loop, IoPoller poller, Supplier<? extends Protocol> factory,
            SocketAddress address, Consumer<SocketChannel> configure) {
        return new Frame<>(new Connect(loop, poller, factory, address, configure), 0, 0);
    }

    @Override
    public Object resume(Frame<?> frame) throws Throwable {
        try {
            switch (frame.state) {
                case 0: {
                    boolean unix = address instanceof UnixDomainSocketAddress;
                    channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                    channel.configureBlocking(false);
                    if (!unix) {
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    }
                    if (configure != null) {
                        configure.accept(channel);
                    }
                    Object r = Frame.await(SockOps.connect(loop, poller, channel, address), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return connected(frame);
                }
                case 1:
                    frame.resumeValue();
                    return connected(frame);
                case 2:
                    frame.resumeValue();
                    return transport;
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        } catch (Throwable e) {
            if (transport != null) {
                transport.close();
            } else if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // failing already
                }
            }
            throw e;
        }
    }

    private Object connected(Frame<?> frame) throws Throwable {
        dev.coro.internal.IoRegistration plain = poller.registration(channel);
        if (plain != null) {
            plain.deregister(); // sockConnect's registration: the transport takes the key over
        }
        Protocol protocol = factory.get();
        Promise<Void> waiter = loop.createPromise();
        transport = new SocketTransport(loop, poller, channel, protocol, waiter, null, new HashMap<>());
        Object r = Frame.await(waiter, frame);
        if (r == Frame.SUSPENDED) {
            frame.state = 2;
            return r;
        }
        return transport;
    }

    @Override
    public String toString() {
        return "createConnection(" + address + ")";
    }
}
