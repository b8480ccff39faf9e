package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
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
import dev.coro.Task;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Port of {@code scenario_41_streams_echo_basics.py}: streams over a real loopback TCP connection.
 * {@code start_server} / {@code open_connection} are {@code Coro.startServer} /
 * {@code Coro.openConnection}; a {@code (host, port)} tuple is an {@link InetSocketAddress};
 * {@code get_extra_info(name, default)} is {@code getExtraInfo(name)} with the default for null.
 * Runs on the real-time loop, like every I/O port: the peers are real sockets.
 */
public final class Scenario41StreamsEchoBasics extends Scenario {
    static final String HOST = "127.0.0.1";

    static boolean shape(Object addr) {
        return addr instanceof InetSocketAddress;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    Promise<Void> handlerDone;
    Task<?> handlerTask;

    @Async
    Coroutine<Void> handler(StreamReader reader, StreamWriter writer) {
        Task<?> me = currentTask();
        handlerTask = me;
        // a) one line in, one line out
        byte[] line = await(reader.readLine());
        print("  server: readline() -> " + repr(line));
        print("  server: handler runs in a Task: " + repr(me != null) + "; "
                + "peername is a 2-tuple: " + repr(shape(writer.getExtraInfo("peername"))));
        writer.write(b(new String(line, StandardCharsets.ISO_8859_1).toUpperCase()));
        await(writer.drain());

        // b) read(n)
        byte[] data = await(reader.read(5));
        print("  server: read(5) -> " + repr(data));
        byte[] rest = await(reader.read(100));
        print("  server: read(100) -> " + repr(rest));
        print("  server: read(0) -> " + repr(await(reader.read(0))) + "; at_eof() = " + repr(reader.atEof()));
        writer.write(b("got " + (data.length + rest.length) + " bytes\n"));
        await(writer.drain());

        // c) read() to EOF
        byte[] everything = await(reader.read());
        print("  server: read() -> " + repr(everything));
        String atEof = repr(reader.atEof());
        String again = repr(await(reader.read()));
        print("  server: at_eof() = " + atEof + "; read() again -> " + again
                + "; readline() -> " + repr(await(reader.readLine())));
        writer.close();
        print("  server: writer.close(); is_closing() = " + repr(writer.isClosing()));
        await(writer.waitClosed());
        print("  server: wait_closed() returned; handler ends");
        handlerDone.setResult(null);
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        handlerDone = loop.createPromise();

        Server server = await(startServer(this::handler, HOST, 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        print("server started: is_serving() = " + repr(server.isServing()) + "; "
                + "sockets = " + server.sockets().size() + "; sockname is a 2-tuple: "
                + repr(shape(server.addresses().get(0))));

        Connection c = await(openConnection(HOST, port));
        StreamReader reader = c.reader();
        StreamWriter writer = c.writer();
        print("client connected: reader is StreamReader: " + repr(reader != null) + "; "
                + "writer is StreamWriter: " + repr(writer != null));
        print("  peername is a 2-tuple: " + repr(shape(writer.getExtraInfo("peername"))) + "; "
                + "sockname is a 2-tuple: " + repr(shape(writer.getExtraInfo("sockname"))) + "; "
                + "get_extra_info('nope', 42) = " + Objects.requireNonNullElse(writer.getExtraInfo("nope"), 42));
        print("  can_write_eof() = " + repr(writer.canWriteEof()) + "; is_closing() = " + repr(writer.isClosing())
                + "; at_eof() = " + repr(reader.atEof()));

        print("a) readline echo");
        print("  client: sending b'hello server\\n'");
        writer.write(b("hello server\n"));
        await(writer.drain());
        byte[] reply = await(reader.readLine());
        print("  client: readline() -> " + repr(reply));

        print("b) read(n) leaves the rest buffered");
        print("  client: sending b'hello world' in one write");
        writer.write(b("hello world"));
        await(writer.drain());
        reply = await(reader.readLine());
        print("  client: readline() -> " + repr(reply));

        print("c) read() to EOF, close, wait_closed");
        writer.write(b("first line\n"));
        writer.writeLines(List.of(b("second "), b("line\n"), b("tail without newline")));
        writer.close();
        boolean closing = writer.isClosing();
        await(writer.waitClosed());
        boolean clientEof = reader.atEof();
        byte[] clientRead = await(reader.read());
        await(handlerDone);
        print("  client (values recorded earlier): is_closing() right after "
                + "close() = " + repr(closing) + "; after wait_closed(): at_eof() = " + repr(clientEof) + ", "
                + "read() -> " + repr(clientRead));
        print("  client: wait_closed() again -> " + repr(await(writer.waitClosed())));
        print("  handler task done: " + repr(handlerTask.isDone()));

        print("d) server.close() / wait_closed()");
        server.close();
        print("  after close(): is_serving() = " + repr(server.isServing()) + "; sockets = "
                + Py.tuple(server.sockets().toArray()));
        await(server.waitClosed());
        print("  wait_closed() returned (no connection left)");
        await(server.waitClosed());
        print("  wait_closed() again returns at once");
        try {
            await(openConnection(HOST, port), IOException.class);
        } catch (IOException e) {
            print("  connect after close -> " + Py.typeName(e));
        }
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
