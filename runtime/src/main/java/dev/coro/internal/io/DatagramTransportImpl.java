package dev.coro.internal.io;

import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.DatagramProtocol;
import dev.coro.io.DatagramTransport;
import dev.coro.internal.IoPoller;
import dev.coro.internal.IoRegistration;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A datagram endpoint's transport (asyncio's {@code _SelectorDatagramTransport}). Sends go out at
 * once while nothing is queued; a datagram the socket cannot take now is copied and queued.
 * Send and receive errors ({@link IOException}s, e.g. an ICMP port unreachable on a connected
 * endpoint) go to {@link DatagramProtocol#errorReceived}; the endpoint stays open.
 */
public final class DatagramTransportImpl extends IoRegistration implements DatagramTransport {
    private static final int MAX_DATAGRAM = 256 * 1024;
    private final EventLoop loop;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final SocketAddress remote;
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private int queuedBytes;
    private boolean closing;
    private boolean lost;
    private ByteBuffer readBuffer;

    /**
     * @param loop the loop
     * @param poller its poller
     * @param channel a bound (and maybe connected) non-blocking channel
     * @param protocol the protocol
     * @param remote the connected address, or null
     * @param waiter completed after {@code connectionMade}
     */
    public DatagramTransportImpl(EventLoop loop, IoPoller poller, DatagramChannel channel, DatagramProtocol protocol,
            SocketAddress remote, Promise<Void> waiter) {
        super(poller, channel);
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.remote = remote;
        loop.callSoon(() -> protocol.connectionMade(this));
        loop.callSoon(() -> {
            if (!closing) {
                interest(interest() | SelectionKey.OP_READ);
            }
        });
        loop.callSoon(() -> {
            if (!waiter.isDone()) {
                waiter.setResult(null);
            }
        });
    }

    @Override
    protected void onReadable() {
        if (lost) {
            return;
        }
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocate(MAX_DATAGRAM);
        }
        readBuffer.clear();
        SocketAddress from;
        try {
            from = remote != null ? readConnected() : channel.receive(readBuffer);
        } catch (IOException e) {
            protocol.errorReceived(e);
            return;
        } catch (RuntimeException e) {
            fatal(e, "Fatal read error on datagram transport");
            return;
        }
        if (from == null) {
            return;
        }
        readBuffer.flip();
        try {
            protocol.datagramReceived(readBuffer.asReadOnlyBuffer(), from);
        } catch (Throwable e) {
            fatal(e, "Fatal error: protocol.datagram_received() call failed.");
        }
    }

    private SocketAddress readConnected() throws IOException {
        int n = channel.read(readBuffer);
        return n < 0 ? null : remote;
    }

    @Override
    public void sendTo(ByteBuffer data, SocketAddress address) {
        if (remote != null && address != null && !Objects.equals(address, remote)) {
            throw new IllegalArgumentException("Invalid address: must be null or " + remote);
        }
        SocketAddress to = address != null ? address : remote;
        if (to == null) {
            throw new IllegalArgumentException("sendTo(data, null) on an unconnected endpoint: give the address");
        }
        if (lost || closing) {
            return;
        }
        if (queue.isEmpty()) {
            int size = data.remaining();
            try {
                int n = remote != null ? channel.write(data) : channel.send(data, to);
                if (n > 0 || size == 0) {
                    return;
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
                return;
            } catch (RuntimeException e) {
                fatal(e, "Fatal write error on datagram transport");
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queue.add(new Object[] {copy, to});
        queuedBytes += copy.remaining();
        interest(interest() | SelectionKey.OP_WRITE);
    }

    @Override
    protected void onWritable() {
        while (!queue.isEmpty()) {
            Object[] next = queue.peek();
            ByteBuffer data = (ByteBuffer) next[0];
            int size = data.remaining();
            try {
                int n = remote != null ? channel.write(data) : channel.send(data, (SocketAddress) next[1]);
                if (n == 0 && size > 0) {
                    return;
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
            } catch (RuntimeException e) {
                fatal(e, "Fatal write error on datagram transport");
                return;
            }
            queue.poll();
            queuedBytes -= size;
        }
        interest(interest() & ~SelectionKey.OP_WRITE);
        if (closing) {
            connectionLost(null);
        }
    }

    private void fatal(Throwable e, String message) {
        loop.callExceptionHandler(EventLoop.errorContext(message, e, "transport", this));
        forceClose(e);
    }

    private void forceClose(Throwable e) {
        if (lost) {
            return;
        }
        queue.clear();
        queuedBytes = 0;
        closing = true;
        lost = true;
        interest(0);
        loop.callSoon(() -> connectionLost(e));
    }

    private void connectionLost(Throwable e) {
        if (!channel.isOpen()) {
            return;
        }
        lost = true;
        try {
            protocol.connectionLost(e);
        } finally {
            deregister();
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        interest(interest() & ~SelectionKey.OP_READ);
        if (queue.isEmpty()) {
            lost = true;
            loop.callSoon(() -> connectionLost(null));
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public Object getExtraInfo(String name) {
        try {
            switch (name) {
                case "socket":
                    return channel;
                case "sockname":
                    return channel.getLocalAddress();
                case "peername":
                    return remote;
                default:
                    return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public int getWriteBufferSize() {
        return queuedBytes;
    }

    @Override
    public String toString() {
        return "DatagramTransport[" + channel + "]";
    }
}
