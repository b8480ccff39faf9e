package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.startServer;
import static dev.coro.Coro.timeout;
import static dev.coro.Coro.waitUntil;
import static dev.coro.conformance.Py.repr;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.ReturnWhen;
import dev.coro.Task;
import dev.coro.TimeoutException;
import dev.coro.conformance.Errors.ValueError;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Port of {@code scenario_48_server_lifecycle.py}: {@code Server} with asyncio 3.13's semantics.
 * {@code start_serving=False} is {@code StreamOptions.startServing(false)}; {@code RuntimeError}
 * is {@link IllegalStateException}; {@code async with server} is {@link Server#use}; the
 * {@code (paused, d, closing, rest)} tuple is a record.
 *
 * <p>One difference in shape: the script's {@code connect(port, rcvbuf)} makes a socket with
 * {@code SO_RCVBUF} set, {@code sock_connect}s it and hands it to {@code open_connection(sock=...)}.
 * Coro has no stream constructor for an already-connected channel yet, so the port opens the
 * connection with {@code openConnection} (limit 1024) and sets {@code SO_RCVBUF} on its socket right
 * after: Linux then stops growing the receive window, so the 2 MiB still cannot be absorbed before
 * the client reads. Real-time loop: the 0.1 s / 0.2 s waits are real.
 */
public final class Scenario48ServerLifecycle extends Scenario {
    static final String HOST = "127.0.0.1";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }

    static void setOption(Object socket, java.net.SocketOption<Integer> option, int value) {
        try {
            ((NetworkChannel) socket).setOption(option, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void excHandler(EventLoop loop, Map<String, Object> context) {
        Object e = context.get("exception");
        print("  HANDLER: " + context.get("message") + " / " + repr(e));
    }

    @Async
    static Coroutine<Connection> connect(int port, Integer rcvbuf) {
        if (rcvbuf == null) {
            return done(await(openConnection(HOST, port)));
        }
        Connection c = await(openConnection(HOST, port, StreamOptions.defaults().limit(1024)));
        setOption(c.writer().getExtraInfo("socket"), StandardSocketOptions.SO_RCVBUF, rcvbuf);
        return done(c);
    }

    @Async
    static Coroutine<String> refused(int port) {
        Connection c;
        try {
            c = await(openConnection(HOST, port), IOException.class);
        } catch (IOException e) {
            return done(Py.typeName(e));
        }
        c.writer().close();
        await(c.writer().waitClosed());
        return done("connected");
    }

    @Async
    static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
        for (byte[] line = await(reader.readLine()); line.length > 0; line = await(reader.readLine())) {
            writer.write(b(new String(line, StandardCharsets.ISO_8859_1).toUpperCase()));
            await(writer.drain());
        }
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    @Async
    static Coroutine<byte[]> roundtrip(Connection c, byte[] word) {
        byte[] line = Arrays.copyOf(word, word.length + 1);
        line[word.length] = '\n';
        c.writer().write(line);
        return done(await(c.reader().readLine()));
    }

    // c)
    Promise<Void> release;
    List<Task<?>> tasks;

    @Async
    Coroutine<Void> lingering(StreamReader reader, StreamWriter writer) {
        tasks.add(currentTask());
        await(reader.readLine());
        writer.close();
        await(writer.waitClosed());
        await(release);
        return done();
    }

    // d), e)
    record Results(boolean paused, Object d, boolean closing, byte[] rest) {
    }

    Promise<Results> results;
    Promise<Void> started;

    @Async
    Coroutine<Void> writerHandler(StreamReader reader, StreamWriter writer) {
        setOption(writer.getExtraInfo("socket"), StandardSocketOptions.SO_SNDBUF, 32768);
        byte[] zs = new byte[2 << 20];
        Arrays.fill(zs, (byte) 'z');
        writer.write(zs);
        boolean paused = writer.transport().getWriteBufferSize() > 65536;
        started.setResult(null);
        Object d = await(writer.drain());
        boolean closing = writer.isClosing();
        results.setResult(new Results(paused, d, closing, await(reader.read())));
        return done();
    }

    // f)
    @Async
    Coroutine<Void> victim(StreamReader reader, StreamWriter writer) {
        tasks.add(currentTask());
        byte[] line = await(reader.readLine());
        if (Arrays.equals(line, b("raise\n"))) {
            throw new ValueError("handler failed");
        }
        writer.write(b("ready\n"));
        await(sleep(sec(10)));
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        loop.setExceptionHandler(this::excHandler);

        print("a) start_serving=False");
        Server server = await(startServer(Scenario48ServerLifecycle::echo, HOST, 0,
                StreamOptions.defaults().startServing(false)));
        int port = port(server);
        print("  is_serving() = " + repr(server.isServing()) + "; get_loop() is loop: " + repr(server.getLoop() == loop));
        print("  connect before start_serving() -> " + await(refused(port)));
        await(server.startServing());
        await(server.startServing());
        print("  start_serving() (twice): is_serving() = " + repr(server.isServing()));
        Connection c = await(connect(port, null));
        print("  round trip -> " + repr(await(roundtrip(c, b("hello")))));
        c.writer().close();
        await(c.writer().waitClosed());

        print("b) serve_forever() in a task, then close() with a connection open");
        Task<Void> sf = spawn(server.serveForever());
        await(sleep(Duration.ZERO));
        try {
            await(server.serveForever());
        } catch (IllegalStateException e) {
            print("  second serve_forever() -> " + Py.typeName(e));
        }
        c = await(connect(port, null));
        print("  round trip -> " + repr(await(roundtrip(c, b("one")))));
        server.close();
        print("  close(): is_serving() = " + repr(server.isServing()) + "; sockets = " + Py.tuple(server.sockets().toArray()));
        await(sleep(sec(0.1)));
        print("  0.1 s later: serve_forever task done: " + repr(sf.isDone()));
        print("  open connection still works: " + repr(await(roundtrip(c, b("two")))));
        print("  new connect -> " + await(refused(port)));
        c.writer().close();
        await(c.writer().waitClosed());
        try {
            await(sf);
        } catch (CancelledError e) {
            print("  client closed -> serve_forever task ends cancelled: " + repr(sf.isCancelled()));
        }
        try {
            await(server.serveForever());
        } catch (IllegalStateException e) {
            print("  serve_forever() on a closed server -> " + Py.typeName(e));
        }

        print("c) wait_closed() waits for connections, not for handler tasks");
        release = loop.createPromise();
        tasks = new ArrayList<>();
        server = await(startServer(this::lingering, HOST, 0));
        port = port(server);
        Task<Void> wc = spawn(server.waitClosed());
        c = await(connect(port, null));
        await(sleep(sec(0.1)));
        print("  wait_closed() on a server that is still open: done after 0.1 s = " + repr(wc.isDone()));
        server.close();
        await(sleep(sec(0.1)));
        print("  after close(), connection open: wait_closed done = " + repr(wc.isDone()));
        c.writer().write(b("bye\n"));
        print("  client: readline() -> " + repr(await(c.reader().readLine())) + " (handler closed its writer)");
        await(wc);
        print("  wait_closed() returned; handler task done: " + repr(tasks.get(0).isDone()));
        release.setResult(null);
        await(tasks.get(0));
        c.writer().close();
        await(c.writer().waitClosed());

        for (String method : List.of("close_clients", "abort_clients")) {
            String label = method.equals("close_clients") ? "d" : "e";
            print(label + ") " + method + "() while a handler is blocked in drain() (2 MiB, client not reading)");
            results = loop.createPromise();
            started = loop.createPromise();

            server = await(startServer(this::writerHandler, HOST, 0));
            port = port(server);
            c = await(connect(port, 32768));
            await(started);
            await(sleep(sec(0.2)));
            print("  handler still blocked after 0.2 s: " + repr(!results.isDone()));
            server.close();
            if (method.equals("close_clients")) {
                server.closeClients();
            } else {
                server.abortClients();
            }
            wc = spawn(server.waitClosed());
            if (method.equals("close_clients")) {
                await(sleep(sec(0.2)));
                print("  close() + close_clients(), 0.2 s later: handler finished: "
                        + repr(results.isDone()) + "; wait_closed done: " + repr(wc.isDone()) + " (buffer not flushed yet)");
            } else {
                await(waitUntil(ReturnWhen.ALL_COMPLETED, List.of(results, wc), null));
                print("  close() + abort_clients(): handler finished and wait_closed() "
                        + "returned before the client called read()");
            }
            byte[] data = await(c.reader().read());
            print("  client: read() to EOF received all 2 MiB: " + repr(data.length == 2 << 20));
            Results r = await(results);
            print("  handler: buffer was over high water: " + repr(r.paused()) + "; drain() -> " + repr(r.d()) + "; "
                    + "is_closing() = " + repr(r.closing()) + "; read() -> " + repr(r.rest()));
            await(wc);
            print("  wait_closed() returned");
            c.writer().close();
            await(c.writer().waitClosed());
        }

        print("f) handler task cancelled; handler raising");
        tasks = new ArrayList<>();
        server = await(startServer(this::victim, HOST, 0));
        port = port(server);
        c = await(connect(port, null));
        c.writer().write(b("wait\n"));
        print("  client: readline() -> " + repr(await(c.reader().readLine())));
        tasks.get(0).cancel();
        Connection fc = c;
        try {
            await(timeout(sec(2), cm -> afterCancel(fc)));
        } catch (TimeoutException e) {
            print("  handler task cancelled -> client readline() -> TimeoutError (connection left open)");
        }
        c.writer().close();
        await(c.writer().waitClosed());
        c = await(connect(port, null));
        c.writer().write(b("raise\n"));
        print("  after the handler raised -> client readline() -> " + repr(await(c.reader().readLine())));
        c.writer().close();
        await(c.writer().waitClosed());
        server.close();
        await(server.waitClosed());

        print("g) async with server");
        Server g = await(startServer(Scenario48ServerLifecycle::echo, HOST, 0));
        await(g.use(s -> withServer(s)));
        print("  after the block: is_serving() = " + repr(g.isServing()) + "; sockets = " + Py.tuple(g.sockets().toArray()));
        print("done");
        return done();
    }

    @Async
    Coroutine<Void> afterCancel(Connection c) {
        print("  handler task cancelled -> client readline() -> " + repr(await(c.reader().readLine())));
        return done();
    }

    @Async
    Coroutine<Void> withServer(Server server) {
        int port = port(server);
        Connection c = await(connect(port, null));
        String running = repr(server.isServing());
        print("  inside: is_serving() = " + running + "; "
                + "round trip -> " + repr(await(roundtrip(c, b("ctx")))));
        c.writer().close();
        await(c.writer().waitClosed());
        return done();
    }

    @Async
    Coroutine<Void> guarded() {
        await(timeout(sec(30), cm -> main()));
        return done();
    }

    @Override
    protected void script() {
        asyncioRunRealTime(guarded());
    }
}
