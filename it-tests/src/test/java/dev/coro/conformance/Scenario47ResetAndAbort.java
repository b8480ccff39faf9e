package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.startServer;
import static dev.coro.Coro.timeout;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Port of {@code scenario_47_reset_and_abort.py}: abort without and with {@code SO_LINGER (1, 0)},
 * as streams see it. {@code ConnectionResetError} is the JDK's {@link java.net.SocketException}
 * "Connection reset" ({@link Py#typeName}); Java has no errno, so "errno is ECONNRESET" is that
 * exception's message naming a reset. {@code SO_LINGER (1, 0)} is {@code SO_LINGER} 0 seconds.
 * Real-time loop.
 */
public final class Scenario47ResetAndAbort extends Scenario {
    static final String HOST = "127.0.0.1";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code e.errno == errno.ECONNRESET}: the JDK names the condition in the message. */
    static boolean isEconnreset(Throwable e) {
        return e instanceof java.net.SocketException && String.valueOf(e.getMessage()).startsWith("Connection reset");
    }

    Map<String, Promise<Object>> serverSide;

    @Async
    Coroutine<Void> handler(StreamReader reader, StreamWriter writer) {
        byte[] cmd = await(reader.readLine());
        if (Arrays.equals(cmd, b("fin\n"))) {
            writer.write(b("marker\npar"));
            await(reader.readLine());          // the client's b'ack\n'
            writer.transport().abort();
            boolean closing = writer.isClosing();
            await(writer.waitClosed());
            serverSide.get("fin").setResult(closing);
        } else if (Arrays.equals(cmd, b("reset\n"))) {
            writer.write(b("marker\npar"));
            await(reader.readLine());          // the client's b'ack\n'
            try {
                ((SocketChannel) writer.getExtraInfo("socket")).setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writer.transport().abort();
            await(writer.waitClosed());
            serverSide.get("reset").setResult(null);
        } else {
            if (await(reader.read()).length != 0) {
                throw new AssertionError("expected EOF");
            }
            writer.close();
            await(writer.waitClosed());
            serverSide.get("close").setResult(null);
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        serverSide = new LinkedHashMap<>();
        for (String k : new String[] {"fin", "reset", "close"}) {
            serverSide.put(k, loop.createPromise());
        }

        Server server = await(startServer(this::handler, HOST, 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

        print("a) server abort() (no linger) while the client waits in readline()");
        Connection c = await(openConnection(HOST, port));
        StreamReader reader = c.reader();
        StreamWriter writer = c.writer();
        writer.write(b("fin\n"));
        print("  client: readline() -> " + repr(await(reader.readLine())) + "  (b'par' now buffered)");
        writer.write(b("ack\n"));
        print("  client: readline() -> " + repr(await(reader.readLine())));
        String line = repr(await(reader.readLine()));
        print("  client: readline() -> " + line + "; at_eof() = " + repr(reader.atEof()) + "; "
                + "exception() = " + repr(reader.exception()));
        Object closing = await(serverSide.get("fin"));
        print("  server (recorded): is_closing() right after abort() = " + repr(closing) + "; "
                + "wait_closed() returned None");
        writer.close();
        await(writer.waitClosed());

        print("b) server abort() after SO_LINGER (1, 0): a TCP reset");
        c = await(openConnection(HOST, port));
        reader = c.reader();
        writer = c.writer();
        writer.write(b("reset\n"));
        print("  client: readline() -> " + repr(await(reader.readLine())) + "  (b'par' now buffered)");
        writer.write(b("ack\n"));
        Throwable first = null;
        try {
            await(reader.readLine(), Exception.class);
        } catch (Exception e) {
            first = e;
            print("  client: readline() -> " + Py.typeName(e) + "; errno is ECONNRESET: "
                    + repr(isEconnreset(e)));
        }
        print("  client: reader.exception() is it: " + repr(reader.exception() == first) + "; "
                + "at_eof() = " + repr(reader.atEof()) + "; is_closing() = " + repr(writer.isClosing()));
        String[] names = {"read(100)", "readline()", "readexactly(3)"};
        for (int i = 0; i < names.length; i++) {
            Coroutine<byte[]> coro = i == 0 ? reader.read(100) : i == 1 ? reader.readLine() : reader.readExactly(3);
            try {
                print("  client: " + names[i] + " -> " + repr(await(coro, Exception.class)));
            } catch (Exception e) {
                print("  client: " + names[i] + " -> " + Py.typeName(e) + ", same object: " + repr(e == first));
            }
        }
        writer.write(b("ignored"));
        print("  client: write() -> no error");
        String[] names2 = {"drain()", "wait_closed()"};
        for (int i = 0; i < names2.length; i++) {
            Coroutine<Void> coro = i == 0 ? writer.drain() : writer.waitClosed();
            try {
                print("  client: " + names2[i] + " -> " + repr(await(coro, Exception.class)));
            } catch (Exception e) {
                print("  client: " + names2[i] + " -> " + Py.typeName(e) + ", same object: " + repr(e == first));
            }
        }
        writer.close();
        print("  client: close() again is harmless; is_closing() = " + repr(writer.isClosing()));
        await(serverSide.get("reset"));
        print("  server (recorded): wait_closed() after its own abort() returned None");

        print("c) write() and drain() after our own close()");
        c = await(openConnection(HOST, port));
        reader = c.reader();
        writer = c.writer();
        writer.write(b("close\n"));
        writer.close();
        print("  client: close(); is_closing() = " + repr(writer.isClosing()));
        writer.write(b("after close"));
        print("  client: write() after close() -> no error");
        try {
            await(writer.drain(), Exception.class);
        } catch (Exception e) {
            print("  client: drain() after close() -> " + repr(e));
        }
        Object closed = await(writer.waitClosed());
        print("  client: wait_closed() -> " + repr(closed) + "; "
                + "reader.at_eof() = " + repr(reader.atEof()));
        await(serverSide.get("close"));
        print("  server (recorded): saw EOF and closed");

        server.close();
        await(server.waitClosed());
        print("done");
        return done();
    }

    @Async
    Coroutine<Void> guarded() {
        await(timeout(sec(20), cm -> main()));
        return done();
    }

    @Override
    protected void script() {
        asyncioRunRealTime(guarded());
    }
}
