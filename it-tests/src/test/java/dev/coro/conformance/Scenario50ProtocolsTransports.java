package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.timeout;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Queue;
import dev.coro.conformance.Errors.ValueError;
import dev.coro.io.Protocol;
import dev.coro.io.Server;
import dev.coro.io.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Port of {@code scenario_50_protocols_transports.py}: {@link Protocol} callbacks on a loopback
 * TCP connection made with {@code EventLoop.createServer} / {@code createConnection}. Python's
 * {@code create_connection} returns {@code (transport, protocol)}; Coro's returns the transport,
 * whose {@code getProtocol()} is the protocol. {@code bytes} buffers are byte arrays;
 * {@code eof_received} returning None is {@code false}. Real-time loop.
 */
public final class Scenario50ProtocolsTransports extends Scenario {
    static final String HOST = "127.0.0.1";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static List<String> collapse(List<String> log) {
        List<String> out = new ArrayList<>();
        for (String e : log) {
            if (!(!out.isEmpty() && out.get(out.size() - 1).equals(e) && e.equals("data_received"))) {
                out.add(e);
            }
        }
        return out;
    }

    static boolean endsWith(byte[] a, byte[] suffix) {
        return a.length >= suffix.length
                && Arrays.equals(a, a.length - suffix.length, a.length, suffix, 0, suffix.length);
    }

    static int indexOf(byte[] a, byte c) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static byte[] bytes(ByteBuffer data) {
        byte[] a = new byte[data.remaining()];
        data.get(a);
        return a;
    }

    static byte[] concat(byte[] x, byte[] y) {
        byte[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    static void setOption(Object socket, java.net.SocketOption<Integer> option, int value) {
        try {
            ((NetworkChannel) socket).setOption(option, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void excHandler(EventLoop loop, Map<String, Object> context) {
        print("  HANDLER: " + context.get("message") + " / " + repr(context.get("exception")));
    }

    static String mode = "normal";

    final class ServerProto implements Protocol {
        final List<String> log = new ArrayList<>();
        byte[] buf = new byte[0];
        final Promise<Void> made;
        final Promise<Void> lost;
        Transport transport;

        ServerProto(Queue<ServerProto> queue) {
            EventLoop loop = loop();
            made = loop.createPromise();
            lost = loop.createPromise();
            queue.putNowait(this);
        }

        @Override
        public void connectionMade(Transport transport) {
            log.add("connection_made");
            this.transport = transport;
            made.setResult(null);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            log.add("data_received");
            buf = concat(buf, bytes(data));
            if (mode.equals("raise") && endsWith(buf, b("\n"))) {
                throw new ValueError("bad data");
            }
            if (endsWith(buf, b("END\n"))) {
                if (buf.length > 1000) {
                    byte[] zs = new byte[buf.length - 4];
                    Arrays.fill(zs, (byte) 'z');
                    print("  server: END after " + buf.length + " bytes; "
                            + "all 'z': " + repr(Arrays.equals(Arrays.copyOf(buf, buf.length - 4), zs)));
                } else {
                    print("  server: END -> data " + repr(buf));
                }
                buf = new byte[0];
                transport.write(b("ACK\n"));
            }
        }

        @Override
        public boolean eofReceived() {
            boolean keep = mode.equals("keep");
            log.add("eof_received -> " + repr(keep));
            if (keep) {
                transport.write(b("reply written after EOF\n"));
                loop().callSoon(transport::close);
            }
            return keep;
        }

        @Override
        public void connectionLost(Throwable exc) {
            log.add("connection_lost(" + repr(exc) + ")");
            lost.setResult(null);
        }
    }

    final class ClientProto implements Protocol {
        final List<String> log = new ArrayList<>();
        byte[] buf = new byte[0];
        Promise<byte[]> waiter;
        final Promise<Void> lost;
        final Promise<Void> resumed;
        int pauses;
        Transport transport;

        ClientProto() {
            EventLoop loop = loop();
            lost = loop.createPromise();
            resumed = loop.createPromise();
        }

        @Override
        public void connectionMade(Transport transport) {
            log.add("connection_made");
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            log.add("data_received");
            buf = concat(buf, bytes(data));
            int nl = indexOf(buf, (byte) '\n');
            if (waiter != null && nl >= 0 && !waiter.isDone()) {
                byte[] line = Arrays.copyOf(buf, nl + 1);
                buf = Arrays.copyOfRange(buf, nl + 1, buf.length);
                waiter.setResult(line);
            }
        }

        @Override
        public boolean eofReceived() {
            log.add("eof_received");
            return false;
        }

        @Override
        public void connectionLost(Throwable exc) {
            log.add("connection_lost(" + repr(exc) + ")");
            lost.setResult(null);
        }

        @Override
        public void pauseWriting() {
            pauses += 1;
            int high = transport.getWriteBufferLimits().high();
            print("  client: pause_writing() (buffer > high: "
                    + repr(transport.getWriteBufferSize() > high) + ")");
        }

        @Override
        public void resumeWriting() {
            int low = transport.getWriteBufferLimits().low();
            print("  client: resume_writing() (buffer <= low: "
                    + repr(transport.getWriteBufferSize() <= low) + ")");
            resumed.setResult(null);
        }
    }

    /** {@code ClientProto.readline}. */
    @Async
    static Coroutine<byte[]> readline(ClientProto cp) {
        cp.waiter = loop().createPromise();
        int nl = indexOf(cp.buf, (byte) '\n');
        if (nl >= 0) {
            byte[] line = Arrays.copyOf(cp.buf, nl + 1);
            cp.buf = Arrays.copyOfRange(cp.buf, nl + 1, cp.buf.length);
            return done(line);
        }
        return done(await(cp.waiter));
    }

    Queue<ServerProto> queue;
    int port;

    /** The triple {@code (tr, cp, sp)}. */
    record Conn(Transport tr, ClientProto cp, ServerProto sp) {
    }

    @Async
    Coroutine<Conn> connect() {
        EventLoop loop = loop();
        Transport tr = await(loop.createConnection(ClientProto::new, HOST, port));
        ClientProto cp = (ClientProto) tr.getProtocol();
        ServerProto sp = await(queue.get());
        await(sp.made);
        return done(new Conn(tr, cp, sp));
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.setExceptionHandler(this::excHandler);
        queue = new Queue<>();
        Server server = await(loop.createServer(() -> new ServerProto(queue), HOST, 0));
        setOption(server.sockets().get(0), StandardSocketOptions.SO_RCVBUF, 32768);
        port = ((InetSocketAddress) server.addresses().get(0)).getPort();

        print("a) eof_received() returns False");
        Conn c = await(connect());
        Transport tr = c.tr();
        ClientProto cp = c.cp();
        ServerProto sp = c.sp();
        print("  client: connection_made ran before create_connection() returned: "
                + repr(cp.log.equals(List.of("connection_made"))) + "; get_protocol() is it: "
                + repr(tr.getProtocol() == cp));
        print("  peername is a 2-tuple: " + repr(tr.getExtraInfo("peername") instanceof InetSocketAddress) + "; "
                + "server side too: " + repr(sp.transport.getExtraInfo("peername") instanceof InetSocketAddress));
        tr.write(b("hello "));
        tr.writeLines(List.of(b("wor"), b("ld\n")));
        tr.write(b("END\n"));
        print("  client: readline() -> " + repr(await(readline(cp))));
        tr.writeEof();
        await(sp.lost);
        await(cp.lost);
        print("  server events: " + repr(collapse(sp.log)));
        print("  client events: " + repr(collapse(cp.log)));
        print("  both transports closing: " + repr(sp.transport.isClosing()) + " " + repr(tr.isClosing()));

        print("b) eof_received() returns True: the server writes after EOF");
        mode = "keep";
        c = await(connect());
        tr = c.tr();
        cp = c.cp();
        sp = c.sp();
        tr.write(b("request\nEND\n"));
        print("  client: readline() -> " + repr(await(readline(cp))));
        tr.writeEof();
        print("  client: readline() -> " + repr(await(readline(cp))));
        await(sp.lost);
        await(cp.lost);
        print("  server events: " + repr(collapse(sp.log)));
        print("  client events: " + repr(collapse(cp.log)));

        print("c) data_received() raises");
        mode = "raise";
        c = await(connect());
        tr = c.tr();
        cp = c.cp();
        sp = c.sp();
        tr.write(b("BAD\n"));
        await(sp.lost);
        await(cp.lost);
        print("  server events: " + repr(collapse(sp.log)));
        print("  client events: " + repr(collapse(cp.log)));
        mode = "normal";

        print("d) pause_reading() / resume_reading() on the server transport");
        c = await(connect());
        tr = c.tr();
        cp = c.cp();
        sp = c.sp();
        Transport st = sp.transport;
        print("  is_reading() = " + repr(st.isReading()));
        st.pauseReading();
        st.pauseReading();
        print("  pause_reading() twice: is_reading() = " + repr(st.isReading()));
        tr.write(b("sent while paused\nEND\n"));
        await(sleep(sec(0.2)));
        print("  0.2 s later: server data_received calls so far: "
                + sp.log.stream().filter(e -> e.equals("data_received")).count());
        st.resumeReading();
        st.resumeReading();
        print("  resume_reading() twice: is_reading() = " + repr(st.isReading()));
        print("  client: readline() -> " + repr(await(readline(cp))));

        print("e) pause_writing() / resume_writing() on the client protocol");
        setOption(tr.getExtraInfo("socket"), StandardSocketOptions.SO_SNDBUF, 32768);
        tr.setWriteBufferLimits(65536, 16384);
        st.pauseReading();
        print("  server paused reading; client writes 2 MiB");
        byte[] zs = new byte[2 << 20];
        Arrays.fill(zs, (byte) 'z');
        tr.write(zs);
        print("  client: write() returned");
        tr.write(Arrays.copyOf(zs, 100));
        print("  client: another write() -> pause_writing() calls: " + cp.pauses);
        await(sleep(sec(0.2)));
        print("  0.2 s later: resume_writing() called: " + repr(cp.resumed.isDone()));
        print("  server: resume_reading()");
        st.resumeReading();
        await(cp.resumed);
        tr.write(b("END\n"));
        byte[] line = await(readline(cp));
        print("  client: readline() -> " + repr(line) + "; pause_writing() calls: " + cp.pauses);

        print("f) close()");
        tr.close();
        print("  client: close(); is_closing() = " + repr(tr.isClosing()) + "; is_reading() = " + repr(tr.isReading()));
        tr.write(b("ignored"));
        tr.close();
        print("  write() and a second close() after close(): no error");
        await(cp.lost);
        await(sp.lost);
        print("  server events: " + repr(collapse(sp.log)));
        print("  client events: " + repr(collapse(cp.log)));
        server.close();
        await(server.waitClosed());
        print("done");
        return done();
    }

    @Async
    Coroutine<Void> guarded() {
        await(timeout(sec(30), cm -> main()));
        return done();
    }

    @Override
    protected void script() {
        mode = "normal";
        asyncioRunRealTime(guarded());
    }
}
