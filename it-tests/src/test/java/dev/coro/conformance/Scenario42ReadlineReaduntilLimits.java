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
import dev.coro.io.LimitOverrunException;
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
 * Port of {@code scenario_42_readline_readuntil_limits.py}: {@code readLine} / {@code readUntil}
 * with a limit of 16. asyncio's {@code readline} raises {@code ValueError} where Coro's
 * {@code readLine} throws {@link LimitOverrunException} (same message, same data dropped): the
 * port prints that one catch site as {@code ValueError} ({@link Py#reprAs}), the way scenario 31
 * names the Python type at its catch site. {@code LimitOverrunError} is {@link LimitOverrunException}
 * (not a {@code ValueError}), {@code IncompleteReadError} is {@link IncompleteReadException} (an
 * {@code EOFError}), a tuple of separators is {@code readUntil(byte[]...)}, and {@code async for}
 * over the reader is a {@code readLine} loop until an empty line. Real-time loop.
 */
public final class Scenario42ReadlineReaduntilLimits extends Scenario {
    static final String HOST = "127.0.0.1";
    static final byte[] CRLF = b("\r\n");

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code f"{type(e).__name__}({', '.join(repr(a) for a in e.args)})"}: the one-argument repr. */
    static String exc(Throwable e) {
        return repr(e);
    }

    @Async
    static Coroutine<Void> ok(StreamWriter writer) {
        writer.write(b("ok\n"));
        await(writer.drain());
        return done();
    }

    @Async
    Coroutine<Void> serverConn1(StreamReader reader, StreamWriter writer) {
        // a)
        print("  server: readline() -> " + repr(await(reader.readLine())));
        await(ok(writer));
        // b)
        try {
            await(reader.readLine());
        } catch (LimitOverrunException e) {
            print("  server: readline() -> " + Py.reprAs("ValueError", e));
        }
        print("  server: readline() -> " + repr(await(reader.readLine())) + "  (over-long line discarded with its newline)");
        await(ok(writer));
        // c)
        try {
            await(reader.readLine());
        } catch (LimitOverrunException e) {
            print("  server: readline() -> " + Py.reprAs("ValueError", e));
        }
        await(ok(writer));
        print("  server: readline() -> " + repr(await(reader.readLine())) + "  (tail of the over-long line)");
        await(ok(writer));
        // d)
        try {
            await(reader.readUntil(b("\n")));
        } catch (LimitOverrunException e) {
            print("  server: readuntil() -> " + exc(e) + "; consumed=" + e.consumed() + "; "
                    + "is ValueError: " + repr(((Throwable) e) instanceof IllegalArgumentException));
        }
        print("  server: readexactly(21) -> " + repr(await(reader.readExactly(21))) + "  (buffer kept)");
        try {
            await(reader.readUntil(b("\n")));
        } catch (LimitOverrunException e) {
            print("  server: readuntil() -> " + exc(e) + "; consumed=" + e.consumed());
        }
        print("  server: read(100) -> " + repr(await(reader.read(100))) + "  (buffer kept)");
        await(ok(writer));
        // e)
        print("  server: readuntil(b'\\r\\n') -> " + repr(await(reader.readUntil(CRLF))));
        print("  server: readuntil(b'\\r\\n') -> " + repr(await(reader.readUntil(CRLF))));
        await(ok(writer));
        // f)
        for (int i = 0; i < 3; i++) {
            byte[] r = await(reader.readUntil(b("\r\n"), b("\n")));
            print("  server: readuntil((b'\\r\\n', b'\\n')) -> " + repr(r));
        }
        for (byte[][] bad : List.of(new byte[][] {b("")}, new byte[0][])) {
            try {
                await(reader.readUntil(bad));
            } catch (IllegalArgumentException e) {
                String shown = bad.length == 0 ? "()" : repr(bad[0]);
                print("  server: readuntil(" + shown + ") -> " + exc(e));
            }
        }
        await(ok(writer));
        // g) EOF
        print("  server: readuntil(b'\\r\\n') -> " + repr(await(reader.readUntil(CRLF))));
        print("  server: readline() -> " + repr(await(reader.readLine())) + "  (partial line at EOF)");
        String line = repr(await(reader.readLine()));
        print("  server: readline() -> " + line + "; at_eof() = " + repr(reader.atEof()));
        try {
            await(reader.readUntil(b("\n")));
        } catch (IncompleteReadException e) {
            print("  server: readuntil() after EOF -> IncompleteReadError partial=" + repr(e.partial()) + " "
                    + "expected=" + repr(e.expected()));
        }
        await(ok(writer));
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    @Async
    Coroutine<Void> serverConn2(StreamReader reader, StreamWriter writer) {
        try {
            await(reader.readUntil(CRLF));
        } catch (IncompleteReadException e) {
            // IncompleteReadError is an EOFError in asyncio.
            print("  server: readuntil(b'\\r\\n') -> IncompleteReadError partial=" + repr(e.partial()) + " "
                    + "expected=" + repr(e.expected()) + " str=" + repr(e.getMessage())
                    + " is EOFError: " + repr(e instanceof IncompleteReadException));
        }
        String atEof = repr(reader.atEof());
        print("  server: at_eof() = " + atEof + "; read() -> " + repr(await(reader.read())) + "  (buffer was cleared)");
        writer.write(b("ok\n"));
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    @Async
    Coroutine<Void> serverConn3(StreamReader reader, StreamWriter writer) {
        List<byte[]> lines = new ArrayList<>();
        for (byte[] line = await(reader.readLine()); line.length > 0; line = await(reader.readLine())) {
            lines.add(line);
        }
        print("  server: async for over the reader -> " + repr(lines));
        writer.write(b("ok\n"));
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    int counter;
    List<Promise<Void>> finished;
    StreamReader reader;
    StreamWriter writer;

    @Async
    Coroutine<Void> handler(StreamReader reader, StreamWriter writer) {
        int n = ++counter;
        if (n == 1) {
            await(serverConn1(reader, writer));
        } else if (n == 2) {
            await(serverConn2(reader, writer));
        } else {
            await(serverConn3(reader, writer));
        }
        finished.get(n - 1).setResult(null);
        return done();
    }

    @Async
    Coroutine<Void> step(byte[]... parts) {
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                await(sleep(sec(0.05)));
            }
            writer.write(parts[i]);
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
        finished = List.of(loop.createPromise(), loop.createPromise(), loop.createPromise());

        Server server = await(startServer(this::handler, HOST, 0, StreamOptions.defaults().limit(16)));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();

        Connection c = await(openConnection(HOST, port));
        reader = c.reader();
        writer = c.writer();

        print("a) line of exactly `limit` bytes plus b'\\n'");
        await(step(b("0123456789abcdef\n")));
        print("b) 17-byte line + b'next\\n' in one write (separator is in the buffer)");
        await(step(b("0123456789abcdefg\nnext\n")));
        print("c) 20 bytes without newline in one write, then b'UVW\\n'");
        await(step(b("ABCDEFGHIJKLMNOPQRST")));
        await(step(b("UVW\n")));
        print("d) readuntil() keeps the buffer on LimitOverrunError");
        await(step(b("0123456789abcdefghij\nABCDEFGHIJKLMNOPQRST")));
        print("e) separator b'\\r\\n' split across two writes");
        await(step(b("key: value\r"), b("\nrest\r\n")));
        print("f) tuple of separators (3.13)");
        await(step(b("one\r\ntwo\nthree\r\n")));
        print("g) EOF: b'end\\r\\nxyz' then write_eof()");
        writer.write(b("end\r\nxyz"));
        writer.writeEof();
        assertOk(await(reader.readLine()));
        await(finished.get(0));
        writer.close();
        await(writer.waitClosed());

        print("h) second connection: b'abc\\r' then EOF");
        c = await(openConnection(HOST, port));
        reader = c.reader();
        writer = c.writer();
        writer.write(b("abc\r"));
        writer.writeEof();
        assertOk(await(reader.readLine()));
        await(finished.get(1));
        writer.close();
        await(writer.waitClosed());

        print("i) third connection: b'l1\\nl2\\nl3' then EOF, async for");
        c = await(openConnection(HOST, port));
        reader = c.reader();
        writer = c.writer();
        writer.write(b("l1\nl2\nl3"));
        writer.writeEof();
        assertOk(await(reader.readLine()));
        await(finished.get(2));
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
