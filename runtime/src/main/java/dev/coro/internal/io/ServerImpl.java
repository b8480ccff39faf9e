package dev.coro.internal.io;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.Protocol;
import dev.coro.io.Server;
import dev.coro.internal.IoPoller;
import dev.coro.internal.IoRegistration;
import dev.coro.internal.Lazy;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * asyncio's {@code Server} with {@code _accept_connection}: one listening channel, accepting up
 * to {@code backlog} connections per readiness event. Running out of file descriptors pauses
 * accepting for a second ({@code ACCEPT_RETRY_DELAY}), reported once per pause to the exception
 * handler, then accepting resumes.
 *
 * <p>Not listening yet ({@code startServing(false)}): NIO binds and listens in one call, so the
 * address is held by a bound, unconnected socket, which refuses connections as a bound socket
 * that does not listen does; {@link #startServing()} swaps it for the listening channel.
 */
public final class ServerImpl implements Server {
    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    private final EventLoop loop;
    private final IoPoller poller;
    private final Supplier<? extends Protocol> factory;
    private final int backlog;
    private final boolean reuseAddress;
    private final Path unixPath;
    private SocketAddress address;
    private NetworkChannel socket; // a Listener's channel, a placeholder, or null once closed
    private Listener listener;
    private boolean serving;
    private boolean closed;
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private List<Promise<Void>> waiters = new ArrayList<>();
    private Promise<Void> servingForever;
    /** Notified of every accepted channel (stream servers configure it); may be null. */
    private final java.util.function.Consumer<SocketChannel> onAccept;

    private ServerImpl(EventLoop loop, IoPoller poller, Supplier<? extends Protocol> factory, int backlog,
            boolean reuseAddress, Path unixPath, java.util.function.Consumer<SocketChannel> onAccept) {
        this.loop = loop;
        this.poller = poller;
        this.factory = factory;
        this.backlog = backlog;
        this.reuseAddress = reuseAddress;
        this.unixPath = unixPath;
        this.onAccept = onAccept;
    }

    /**
     * Binds a server (asyncio's {@code create_server} / {@code create_unix_server}).
     *
     * @param loop the loop
     * @param poller its poller
     * @param factory makes one protocol per connection
     * @param address where to listen (an {@code InetSocketAddress} or a {@link UnixDomainSocketAddress})
     * @param backlog the listen backlog
     * @param reuseAddress SO_REUSEADDR (TCP)
     * @param startServing listen at once
     * @param onAccept called with each accepted channel before its transport is made, or null
     * @return the server
     * @throws IOException if binding fails (e.g. the address is in use)
     */
    public static ServerImpl bind(EventLoop loop, IoPoller poller, Supplier<? extends Protocol> factory,
            SocketAddress address, int backlog, boolean reuseAddress, boolean startServing,
            java.util.function.Consumer<SocketChannel> onAccept) throws IOException {
        Path unixPath = null;
        if (address instanceof UnixDomainSocketAddress) {
            unixPath = ((UnixDomainSocketAddress) address).getPath();
            // asyncio removes a stale socket file left by an earlier run.
            if (Files.exists(unixPath) && !Files.isRegularFile(unixPath) && !Files.isDirectory(unixPath)) {
                Files.delete(unixPath);
            }
        }
        ServerImpl server = new ServerImpl(loop, poller, factory, backlog, reuseAddress, unixPath, onAccept);
        if (startServing) {
            server.listen(address);
        } else {
            server.reserve(address);
        }
        return server;
    }

    private void listen(SocketAddress where) throws IOException {
        ServerSocketChannel channel = unixPath != null
                ? ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        try {
            if (unixPath == null) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            }
            channel.bind(where, backlog);
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        address = channel.getLocalAddress();
        socket = channel;
        listener = new Listener(channel);
        listener.interest(SelectionKey.OP_ACCEPT);
        serving = true;
    }

    private void reserve(SocketAddress where) throws IOException {
        if (unixPath != null) {
            // A Unix socket path is only claimed by listening; remember it.
            address = where;
            return;
        }
        SocketChannel placeholder = SocketChannel.open();
        try {
            placeholder.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            placeholder.bind(where);
        } catch (IOException | RuntimeException e) {
            placeholder.close();
            throw e;
        }
        address = placeholder.getLocalAddress();
        socket = placeholder;
    }

    private void startServingNow() {
        if (serving || isClosed()) {
            return;
        }
        try {
            if (socket instanceof SocketChannel) {
                socket.close();
            }
            listen(address);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    private boolean isClosed() {
        return closed;
    }

    /** The listening channel's registration: accepts. */
    private final class Listener extends IoRegistration {
        private final ServerSocketChannel channel;
        /** Accepting failed for lack of descriptors, and no accept has succeeded since. */
        private boolean exhausted;

        Listener(ServerSocketChannel channel) {
            super(poller, channel);
            this.channel = channel;
        }

        @Override
        protected void onReadable() {
            for (int i = 0; i < backlog; i++) {
                SocketChannel accepted;
                try {
                    accepted = channel.accept();
                    if (accepted == null) {
                        return;
                    }
                } catch (IOException e) {
                    if (isOutOfResources(e)) {
                        // Reported once per exhaustion: the retries a second apart stay quiet
                        // until an accept succeeds again (asyncio reports every retry).
                        if (!exhausted) {
                            exhausted = true;
                            loop.callExceptionHandler(EventLoop.errorContext("socket.accept() out of system resource",
                                    e, "socket", channel));
                        }
                        interest(0);
                        loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                            if (serving && channel.isOpen()) {
                                interest(SelectionKey.OP_ACCEPT);
                            }
                        });
                        return;
                    }
                    loop.callExceptionHandler(EventLoop.errorContext("socket.accept() failed", e, "socket", channel));
                    return;
                }
                exhausted = false;
                acceptOne(accepted);
            }
        }
    }

    static boolean isOutOfResources(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Too many open files") || m.contains("No buffer space") || m.contains("Cannot allocate memory");
    }

    private void acceptOne(SocketChannel accepted) {
        Protocol protocol;
        try {
            accepted.configureBlocking(false);
            if (unixPath == null) {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            if (onAccept != null) {
                onAccept.accept(accepted);
            }
            protocol = factory.get();
        } catch (Throwable e) {
            closeQuietly(accepted);
            loop.callExceptionHandler(EventLoop.errorContext("Error on transport creation for incoming connection",
                    e, "socket", accepted));
            return;
        }
        Map<String, Object> extra = new HashMap<>();
        new SocketTransport(loop, poller, accepted, protocol, null, this, extra);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    void attach(SocketTransport transport) {
        clients.add(transport);
    }

    void detach(SocketTransport transport) {
        clients.remove(transport);
        if (clients.isEmpty() && closed) {
            wakeup();
        }
    }

    private void wakeup() {
        List<Promise<Void>> w = waiters;
        waiters = null;
        if (w != null) {
            for (Promise<Void> p : w) {
                if (!p.isDone()) {
                    p.setResult(null);
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NetworkChannel s = socket;
        socket = null;
        if (listener != null) {
            listener.deregister();
            listener = null;
        }
        if (s != null) {
            closeQuietly(s);
            // asyncio's Server.close() -> _stop_serving() closes the listening socket at once, so a
            // connect right after it is refused. NIO defers closing a channel registered with a
            // selector until the selector's next select: until then the socket still listens and
            // takes the SYN, then resets it. A zero-wait select closes it now; the events it sees
            // are dropped, which loses nothing (the selector is level-triggered: they come again).
            if (s instanceof ServerSocketChannel) {
                poller.poll(0, () -> false, key -> { });
            }
        }
        if (unixPath != null && serving) {
            try {
                Files.deleteIfExists(unixPath);
            } catch (IOException ignored) {
                // asyncio ignores a failed cleanup too
            }
        }
        serving = false;
        Promise<Void> forever = servingForever;
        if (forever != null && !forever.isDone()) {
            forever.cancel();
            servingForever = null;
        }
        if (clients.isEmpty()) {
            wakeup();
        }
    }

    @Override
    public void closeClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    @Override
    public void abortClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    @Override
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public Coroutine<Void> startServing() {
        return Lazy.of(() -> {
            startServingNow();
            return Coro.sleep(Duration.ZERO);
        });
    }

    @Override
    public Coroutine<Void> waitClosed() {
        return Lazy.of(() -> {
            if (waiters == null) {
                return Coro.done();
            }
            Promise<Void> waiter = loop.createPromise();
            waiters.add(waiter);
            return waiter;
        });
    }

    @Override
    public List<NetworkChannel> sockets() {
        NetworkChannel s = socket;
        return s == null || !serving && s instanceof SocketChannel ? List.of() : List.of(s);
    }

    @Override
    public List<SocketAddress> addresses() {
        return closed ? List.of() : List.of(address);
    }

    /** Open connections (for tests and dumps). */
    int clientCount() {
        return clients.size();
    }

    @Override
    public Coroutine<Void> serveForever() {
        return new Frame<>(new ServeForeverBody(), 0, 0);
    }

    /**
     * <pre>
     * state 0: start serving, await the forever promise
     * state 1: it ended (only by cancellation): close, await waitClosed (state 2), re-throw
     * </pre>
     */
    private final class ServeForeverBody implements CoroutineBody {
        private Throwable cancellation;

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0: {
                    if (servingForever != null) {
                        throw new IllegalStateException("server " + ServerImpl.this + " is already being awaited on serveForever()");
                    }
                    if (closed) {
                        throw new IllegalStateException("server " + ServerImpl.this + " is closed");
                    }
                    startServingNow();
                    Promise<Void> forever = loop.createPromise();
                    servingForever = forever;
                    Object r = Frame.await(forever, frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                }
                case 1:
                    try {
                        return frame.resumeValue();
                    } catch (dev.coro.CancelledError e) {
                        servingForever = null;
                        cancellation = e;
                        close();
                        Object r = Frame.await(waitClosed(), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 2;
                            return r;
                        }
                        throw e;
                    } finally {
                        if (frame.state != 2) {
                            servingForever = null;
                        }
                    }
                case 2:
                    try {
                        frame.resumeValue();
                    } finally {
                        servingForever = null;
                    }
                    throw cancellation;
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        }
    }

    @Override
    public <T> Coroutine<T> use(Function<? super Server, ? extends Coroutine<T>> body) {
        return new Frame<>(new UseBody<T>(body), 0, 0);
    }

    /** state 0: run the body; 1: body ended, close and wait (2); then deliver the body's outcome. */
    private final class UseBody<T> implements CoroutineBody {
        private final Function<? super Server, ? extends Coroutine<T>> body;
        private Object value;
        private Throwable error;

        UseBody(Function<? super Server, ? extends Coroutine<T>> body) {
            this.body = body;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    try {
                        Object r = Frame.await(body.apply(ServerImpl.this), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 1;
                            return r;
                        }
                        value = r;
                    } catch (Throwable e) {
                        error = e;
                    }
                    return closeAndWait(frame);
                case 1:
                    try {
                        value = frame.resumeValue();
                    } catch (Throwable e) {
                        error = e;
                    }
                    return closeAndWait(frame);
                case 2:
                    frame.resumeValue();
                    return outcome();
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        }

        private Object closeAndWait(Frame<?> frame) throws Throwable {
            close();
            Object r = Frame.await(waitClosed(), frame);
            if (r == Frame.SUSPENDED) {
                frame.state = 2;
                return r;
            }
            return outcome();
        }

        private Object outcome() throws Throwable {
            if (error != null) {
                throw error;
            }
            return value;
        }
    }

    @Override
    public String toString() {
        return "Server[" + (closed ? "closed" : String.valueOf(address)) + (serving ? " serving" : "")
                + ", clients=" + clients.size() + "]";
    }
}
