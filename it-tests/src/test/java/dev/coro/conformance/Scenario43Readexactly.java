package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.startServer;
import static dev.coro.Coro.timeout;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.io.Connection;
import dev.coro.io.IncompleteReadException;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Port of {@code scenario_43_readexactly.py}: {@code StreamReader.readExactly} over loopback TCP.
 * asyncio's {@code IncompleteReadError} is {@link IncompleteReadException} (an {@code EOFError} in
 * Python: the port prints {@code isinstance(e, EOFError)} as true for it), {@code ValueError} is
 * {@link IllegalArgumentException}. Real-time loop, like every I/O port.
 */
public final class Scenario43Readexactly extends Scenario {
    static final String HOST = "127.0.0.1";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code isinstance(e, EOFError)}: asyncio's IncompleteReadError subclasses EOFError. */
    static boolean isEofError(Throwable e) {
        return e instanceof IncompleteReadException || e instanceof java.io.EOFException;
    }

    static byte[] payload() {
        byte[] p = new byte[1000];
        for (int i = 0; i < 1000; i++) {
            p[i] = (byte) (i % 251);
        }
        return p;
    }

    Promise<Void> finished;
    StreamReader reader;
    StreamWriter writer;

    @Async
    Coroutine<Void> ok(StreamWriter writer) {
        writer.write(b("ok\n"));
        await(writer.drain());
        return done();
    }

    @Async
    Coroutine<Void> handler(StreamReader reader, StreamWriter writer) {
        // a)
        print("  server: readexactly(10) -> " + repr(await(reader.readExactly(10))));
        await(ok(writer));
        // b)
        print("  server: read(10) -> " + repr(await(reader.read(10))) + "  (short read)");
        await(ok(writer));
        // c)
        print("  server: readexactly(4) -> " + repr(await(reader.readExactly(4))));
        print("  server: readexactly(0) -> " + repr(await(reader.readExactly(0))));
        print("  server: readexactly(4) -> " + repr(await(reader.readExactly(4))));
        try {
            await(reader.readExactly(-1));
        } catch (IllegalArgumentException e) {
            print("  server: readexactly(-1) -> " + repr(e));
        }
        print("  server: read(100) -> " + repr(await(reader.read(100))) + "  (surplus kept)");
        await(ok(writer));
        // d)
        byte[] data = await(reader.readExactly(1000));
        print("  server: readexactly(1000) with limit=16 -> " + data.length + " bytes, "
                + "correct: " + repr(Arrays.equals(data, payload())));
        await(ok(writer));
        // e)
        try {
            await(reader.readExactly(5));
        } catch (IncompleteReadException e) {
            print("  server: readexactly(5) -> " + repr(e));
            print("          partial=" + repr(e.partial()) + " expected=" + repr(e.expected()) + " "
                    + "is EOFError: " + repr(isEofError(e)));
        }
        print("  server: at_eof() = " + repr(reader.atEof()) + "; readexactly(0) -> "
                + repr(await(reader.readExactly(0))));
        try {
            await(reader.readExactly(1));
        } catch (IncompleteReadException e) {
            print("  server: readexactly(1) -> " + repr(e) + " partial=" + repr(e.partial())
                    + " expected=" + repr(e.expected()));
        }
        writer.write(b("ok\n"));
        writer.close();
        await(writer.waitClosed());
        finished.setResult(null);
        return done();
    }

    @Async
    Coroutine<Void> step(List<byte[]> parts, double pause) {
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                await(sleep(sec(pause)));
            }
            writer.write(parts.get(i));
            await(writer.drain());
        }
        assertOk(await(reader.readLine()));
        return done();
    }

    static void assertOk(byte[] line) {
        if (!Arrays.equals(line, b("ok\n"))) {
            throw new AssertionError("expected b'ok\\n', got " + repr(line));
        }
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        finished = loop.createPromise();

        Server server = await(startServer(this::handler, HOST, 0, StreamOptions.defaults().limit(16)));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Connection c = await(openConnection(HOST, port));
        reader = c.reader();
        writer = c.writer();

        print("a) b'abc', b'def', b'ghij' in three writes");
        await(step(List.of(b("abc"), b("def"), b("ghij")), 0.02));
        print("b) b'abc' in one write, nothing else");
        await(step(List.of(b("abc")), 0.02));
        print("c) b'defghijk' + b'XYZ' in one write");
        await(step(List.of(b("defghijkXYZ")), 0.02));
        print("d) 1000 bytes in ten writes of 100");
        byte[] payload = payload();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 1000; i += 100) {
            parts.add(Arrays.copyOfRange(payload, i, i + 100));
        }
        await(step(parts, 0.005));
        print("e) b'xyz' then write_eof()");
        writer.write(b("xyz"));
        writer.writeEof();
        assertOk(await(reader.readLine()));
        await(finished);
        writer.close();
        await(writer.waitClosed());
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
