package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
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
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import dev.coro.io.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Port of {@code scenario_45_backpressure_drain.py}: {@code StreamWriter.drain()} against a peer
 * that does not read. {@code get_write_buffer_limits()} is {@link Transport#getWriteBufferLimits()}
 * (low, high); {@code set_write_buffer_limits(high=h)} / {@code (low=l)} is
 * {@code setWriteBufferLimits(h, null)} / {@code (null, l)}; {@code ValueError} is
 * {@link IllegalArgumentException}. Real-time loop: the 0.2 s wait is real.
 */
public final class Scenario45BackpressureDrain extends Scenario {
    static final String HOST = "127.0.0.1";
    static final byte[] CHUNK = fill('x', 65536);

    static byte[] fill(char c, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) c);
        return a;
    }

    static String limits(Transport tr) {
        Transport.WriteBufferLimits l = tr.getWriteBufferLimits();
        return Py.tuple(l.low(), l.high());
    }

    static void setOption(Object socket, java.net.SocketOption<Integer> option, int value) {
        try {
            ((NetworkChannel) socket).setOption(option, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Promise<Void> release;
    Promise<Integer> serverTotal;

    @Async
    Coroutine<Void> handler(StreamReader reader, StreamWriter writer) {
        await(release);
        byte[] data = await(reader.read());
        serverTotal.setResult(data.length);
        writer.write((data.length + "\n").getBytes(StandardCharsets.US_ASCII));
        writer.close();
        await(writer.waitClosed());
        return done();
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        release = loop.createPromise();
        serverTotal = loop.createPromise();

        Server server = await(startServer(this::handler, HOST, 0, StreamOptions.defaults().limit(1024)));
        setOption(server.sockets().get(0), StandardSocketOptions.SO_RCVBUF, 32768);
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Connection c = await(openConnection(HOST, port));
        StreamReader reader = c.reader();
        StreamWriter writer = c.writer();
        setOption(writer.getExtraInfo("socket"), StandardSocketOptions.SO_SNDBUF, 32768);
        Transport tr = writer.transport();

        print("a) write buffer limits");
        print("  default get_write_buffer_limits() = " + limits(tr));
        tr.setWriteBufferLimits(32768, null);
        print("  set(high=32768) -> " + limits(tr));
        tr.setWriteBufferLimits(null, 1000);
        print("  set(low=1000) -> " + limits(tr));
        try {
            tr.setWriteBufferLimits(10, 20);
        } catch (IllegalArgumentException e) {
            print("  set(high=10, low=20) -> " + repr(e));
        }
        print("  limits unchanged after the error: " + limits(tr));
        tr.setWriteBufferLimits(65536, 16384);
        int low = tr.getWriteBufferLimits().low();
        int high = tr.getWriteBufferLimits().high();
        print("  set(high=65536, low=16384) -> " + Py.tuple(low, high));
        print("  get_write_buffer_size() = " + tr.getWriteBufferSize());

        print("b) write 64 KiB chunks until drain() blocks (server not reading)");
        long written = 0;
        Task<Void> drain1;
        while (true) {
            writer.write(CHUNK);
            written += CHUNK.length;
            drain1 = spawn(writer.drain());
            await(sleep(Duration.ZERO));
            if (!drain1.isDone()) {
                break;
            }
            await(drain1);
        }
        print("  drain blocked: True; buffer > high: " + repr(tr.getWriteBufferSize() > high));
        writer.write(fill('y', 1 << 20));
        written += 1 << 20;
        print("  write() of 1 MiB more returned at once; buffer > 1 MiB: "
                + repr(tr.getWriteBufferSize() > (1 << 20)));
        Task<Void> drain2 = spawn(writer.drain());
        await(sleep(sec(0.2)));
        print("  after 0.2 s: first drain done: " + repr(drain1.isDone()) + "; second drain done: "
                + repr(drain2.isDone()));

        print("c) the server starts reading");
        release.setResult(null);
        await(drain1);
        print("  first drain() returned; buffer <= low: " + repr(tr.getWriteBufferSize() <= low) + "; "
                + "second drain done: " + repr(drain2.isDone()));
        await(drain2);
        print("  second drain() returned");
        await(writer.drain());
        print("  a new drain() returns at once");
        writer.writeEof();
        byte[] reply = await(reader.readLine());
        int total = await(serverTotal);
        print("  server received everything: " + repr(total == written) + "; "
                + "its reply agrees: " + repr(Long.parseLong(new String(reply, StandardCharsets.US_ASCII).trim()) == written));
        writer.close();
        await(writer.waitClosed());
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
        asyncioRunRealTime(guarded());
    }
}
