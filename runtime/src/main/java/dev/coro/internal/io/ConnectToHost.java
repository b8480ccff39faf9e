package dev.coro.internal.io;

import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.StaggeredRaceResult;
import dev.coro.io.Protocol;
import dev.coro.io.Transport;
import dev.coro.internal.IoPoller;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * asyncio's {@code create_connection(host, port)}: resolve the name off the loop
 * ({@code getaddrinfo} in the default executor, since {@link InetAddress} blocks; address
 * literals skip it), then try the addresses in order, or race them with Happy Eyeballs
 * (RFC 8305) when a delay is given: the next attempt starts when the previous one fails or
 * after the delay. With {@code interleave} the address families alternate (IPv6 first if the
 * resolver put it first). If every attempt fails: the one exception when there is one (or all
 * say the same), else a {@link ConnectException} "Multiple exceptions: ..." with each as suppressed.
 *
 * <pre>
 * state 0: literal? go to 2; else await getaddrinfo (state 1)
 * state 1: addresses known
 * state 2: await the race (or the sequence) of connection attempts (state 3)
 * state 3: the winner's transport, or the combined exception
 * </pre>
 */
public final class ConnectToHost implements CoroutineBody {
    private final EventLoop loop;
    private final IoPoller poller;
    private final Supplier<? extends Protocol> factory;
    private final String host;
    private final int port;
    private final Duration happyEyeballsDelay;
    private final int interleave;
    private List<InetSocketAddress> addresses;

    private ConnectToHost(EventLoop loop, IoPoller poller, Supplier<? extends Protocol> factory, String host, int port,
            Duration happyEyeballsDelay, int interleave) {
        this.loop = loop;
        this.poller = poller;
        this.factory = factory;
        this.host = host;
        this.port = port;
        this.happyEyeballsDelay = happyEyeballsDelay;
        this.interleave = interleave;
    }

    /**
     * @param loop the loop
     * @param poller its poller
     * @param factory makes the protocol
     * @param host a name or address literal
     * @param port the port
     * @param happyEyeballsDelay null to try the addresses one after the other; else the Happy Eyeballs delay
     * @param interleave 0: keep the resolver's order; n: first n addresses of the first family, then alternate
     * @return the coroutine of the transport
     */
    public static Coroutine<Transport> connect(EventLoop loop, IoPoller poller, Supplier<? extends Protocol> factory,
            String host, int port, Duration happyEyeballsDelay, int interleave) {
        return new Frame<>(new ConnectToHost(loop, poller, factory, host, port, happyEyeballsDelay, interleave), 0, 0);
    }

    /**
     * asyncio's {@code getaddrinfo}: resolves in the default executor; an address literal is
     * returned at once without a thread.
     *
     * @param loop the loop
     * @param host a name or literal
     * @param port the port
     * @return the promise of the addresses, in the resolver's order
     */
    public static Promise<List<InetSocketAddress>> getaddrinfo(EventLoop loop, String host, int port) {
        List<InetSocketAddress> literal = literal(host, port);
        if (literal != null) {
            Promise<List<InetSocketAddress>> p = loop.createPromise();
            p.setResult(literal);
            return p;
        }
        return loop.runInExecutor(null, () -> {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(new InetSocketAddress(a, port));
            }
            return out;
        });
    }

    private static List<InetSocketAddress> literal(String host, int port) {
        if (host == null) {
            return List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.indexOf(':') >= 0;
        if (!v4 && !v6) {
            return null;
        }
        try {
            String h = v6 && host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return List.of(new InetSocketAddress(InetAddress.getByName(h), port)); // no lookup for literals
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public Object resume(Frame<?> frame) throws Throwable {
        switch (frame.state) {
            case 0: {
                Object r = Frame.await(getaddrinfo(loop, host, port), frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 1;
                    return r;
                }
                return resolved(frame, r);
            }
            case 1:
                return resolved(frame, frame.resumeValue());
            case 2:
                return outcome(frame.resumeValue());
            default:
                throw new IllegalStateException("bad state " + frame.state);
        }
    }

    @SuppressWarnings("unchecked")
    private Object resolved(Frame<?> frame, Object value) throws Throwable {
        addresses = interleave((List<InetSocketAddress>) value, interleave);
        if (addresses.isEmpty()) {
            throw new UnknownHostException("getaddrinfo() returned empty list for " + host);
        }
        List<Supplier<Coroutine<Transport>>> attempts = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            attempts.add(() -> Connect.connect(loop, poller, factory, a, null));
        }
        // Without Happy Eyeballs the next address is tried only when the previous one failed.
        Promise<StaggeredRaceResult<Transport>> race = StaggeredRace.start(loop, attempts, happyEyeballsDelay,
                Transport::abort);
        Object r = Frame.await(race, frame);
        if (r == Frame.SUSPENDED) {
            frame.state = 2;
            return r;
        }
        return outcome(r);
    }

    @SuppressWarnings("unchecked")
    private Object outcome(Object value) throws Throwable {
        StaggeredRaceResult<Transport> result = (StaggeredRaceResult<Transport>) value;
        if (result.winnerIndex() != null) {
            return result.winnerResult();
        }
        List<Throwable> errors = new ArrayList<>();
        for (Throwable e : result.exceptions()) {
            if (e != null) {
                errors.add(e);
            }
        }
        if (errors.size() == 1) {
            throw errors.get(0);
        }
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable e : errors) {
            messages.add(String.valueOf(e));
        }
        if (messages.size() == 1) {
            throw errors.get(0);
        }
        ConnectException combined = new ConnectException("Multiple exceptions: " + String.join(", ", messages));
        for (Throwable e : errors) {
            combined.addSuppressed(e);
        }
        throw combined;
    }

    /** asyncio's {@code _interleave_addrinfos}: first_address_family_count of the first family, then alternate. */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> in, int firstFamilyCount) {
        if (firstFamilyCount <= 0 || in.size() < 2) {
            return in;
        }
        List<InetSocketAddress> first = new ArrayList<>();
        List<InetSocketAddress> second = new ArrayList<>();
        boolean firstIsV6 = in.get(0).getAddress() instanceof Inet6Address;
        for (InetSocketAddress a : in) {
            boolean v6 = a.getAddress() instanceof Inet6Address;
            (v6 == firstIsV6 ? first : second).add(a);
        }
        List<InetSocketAddress> out = new ArrayList<>();
        int i = 0;
        for (; i < Math.min(firstFamilyCount - 1, first.size()); i++) {
            out.add(first.get(i));
        }
        int j = 0;
        while (i < first.size() || j < second.size()) {
            if (i < first.size()) {
                out.add(first.get(i++));
            }
            if (j < second.size()) {
                out.add(second.get(j++));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "createConnection(" + host + ", " + port + ")";
    }
}
