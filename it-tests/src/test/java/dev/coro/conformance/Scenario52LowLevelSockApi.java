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
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Port of {@code scenario_52_low_level_sock_api.py}: {@code loop.sock_*} and
 * {@code add_reader}/{@code remove_reader} on non-blocking loopback channels. A Python socket is a
 * {@link SocketChannel} / {@link ServerSocketChannel} (non-blocking: {@code gettimeout() == 0.0}
 * is {@code !isBlocking()}); a {@code bytearray} is a heap {@link ByteBuffer}; a
 * {@code (host, port)} tuple is an {@link InetSocketAddress}; {@code RuntimeError} is
 * {@link IllegalStateException}. Real-time loop.
 */
public final class Scenario52LowLevelSockApi extends Scenario {
    static final String HOST = "127.0.0.1";

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(ByteBuffer buf, int n) {
        return Arrays.copyOf(buf.array(), n);
    }

    /** {@code conn.recv(100)} on a non-blocking socket. */
    static byte[] recv(SocketChannel conn, int max) {
        ByteBuffer buf = ByteBuffer.allocate(max);
        try {
            int n = conn.read(buf);
            return Arrays.copyOf(buf.array(), Math.max(n, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Async
    Coroutine<Void> main() {
        EventLoop loop = loop();
        try {
            await(sections(loop), IOException.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return done();
    }

    @Async
    Coroutine<Void> sections(EventLoop loop) throws IOException {
        print("a) sock_accept / sock_connect");
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(HOST, 0));
        listener.configureBlocking(false);
        SocketAddress addr = listener.getLocalAddress();
        Task<SocketChannel> accept = spawn(loop.sockAccept(listener));
        await(sleep(Duration.ZERO));
        print("  sock_accept pending: " + repr(!accept.isDone()));
        SocketChannel client = SocketChannel.open();
        client.configureBlocking(false);
        print("  sock_connect -> " + repr(await(loop.sockConnect(client, addr))));
        SocketChannel conn = await(accept);
        SocketAddress peer = conn.getRemoteAddress();
        print("  sock_accept -> conn non-blocking: " + repr(!conn.isBlocking()) + "; "
                + "address is a 2-tuple: " + repr(peer instanceof InetSocketAddress));

        print("b) sock_sendall / sock_recv / sock_recv_into");
        print("  sock_sendall(b'hello world') -> " + repr(await(loop.sockSendAll(client, b("hello world")))));
        print("  sock_recv(5) -> " + repr(await(loop.sockRecv(conn, 5))));
        ByteBuffer buf = ByteBuffer.allocate(100);
        int n = await(loop.sockRecvInto(conn, buf.clear()));
        print("  sock_recv_into(bytearray(100)) -> " + n + ", " + repr(bytes(buf, n)));
        Task<byte[]> recv = spawn(loop.sockRecv(conn, 100));
        await(sleep(Duration.ZERO));
        print("  sock_recv(100) with nothing sent is pending: " + repr(!recv.isDone()));
        await(loop.sockSendAll(client, b("xyz")));
        print("  after sending b'xyz': " + repr(await(recv)));

        print("c) sock_sendall of 4 MiB while the peer reads in 64 KiB pieces");
        byte[] payload = new byte[4 * 4096 * 256];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        Task<Void> send = spawn(loop.sockSendAll(client, payload));
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        while (got.size() < payload.length) {
            got.writeBytes(await(loop.sockRecv(conn, 65536)));
        }
        print("  sendall -> " + repr(await(send)) + "; received " + repr(got.size() == payload.length) + " "
                + "intact " + repr(Arrays.equals(got.toByteArray(), payload)));

        print("d) cancel a pending sock_recv, then receive");
        recv = spawn(loop.sockRecv(conn, 100));
        await(sleep(Duration.ZERO));
        print("  pending: " + repr(!recv.isDone()) + "; cancel() -> " + repr(recv.cancel()));
        try {
            await(recv);
        } catch (CancelledError e) {
            print("  cancelled: " + repr(recv.isCancelled()));
        }
        await(loop.sockSendAll(client, b("after cancel")));
        print("  new sock_recv(100) -> " + repr(await(loop.sockRecv(conn, 100))));
        Task<Integer> into = spawn(loop.sockRecvInto(conn, buf.clear()));
        await(sleep(Duration.ZERO));
        into.cancel();
        try {
            await(into);
        } catch (CancelledError e) {
            print("  a pending sock_recv_into cancelled too");
        }
        await(loop.sockSendAll(client, b("into again")));
        n = await(loop.sockRecvInto(conn, buf.clear()));
        print("  new sock_recv_into -> " + n + ", " + repr(bytes(buf, n)));

        print("e) add_reader / remove_reader");
        Promise<byte[]> fired = loop.createPromise();
        Runnable onReadable = () -> {
            if (!fired.isDone()) {
                fired.setResult(recv(conn, 100));
            }
        };
        loop.addReader(conn, onReadable);
        await(loop.sockSendAll(client, b("ping")));
        byte[] data = await(fired);
        print("  callback called: True; it read " + repr(data));
        boolean removed = loop.removeReader(conn);
        print("  remove_reader() -> " + repr(removed) + "; again -> " + repr(loop.removeReader(conn)));

        print("f) EOF and errors");
        client.shutdownOutput();
        print("  after peer shutdown(SHUT_WR): sock_recv(100) -> " + repr(await(loop.sockRecv(conn, 100))));
        await(loop.sockSendAll(conn, b("still open the other way")));
        print("  reverse direction: " + repr(await(loop.sockRecv(client, 100))));
        conn.close();
        client.close();
        listener.close();
        SocketChannel s = SocketChannel.open();
        s.configureBlocking(false);
        try {
            await(loop.sockConnect(s, addr), IOException.class);
        } catch (IOException e) {
            print("  sock_connect to the closed listener -> " + Py.typeName(e));
        }
        s.close();

        Server server = await(startServer(Scenario52LowLevelSockApi::closeAtOnce, HOST, 0));
        Connection c = await(openConnection(HOST, ((InetSocketAddress) server.addresses().get(0)).getPort()));
        StreamWriter w = c.writer();
        try {
            loop.addReader((SelectableChannel) w.getExtraInfo("socket"), () -> { });
        } catch (IllegalStateException e) {
            print("  add_reader() on a transport's socket -> " + Py.typeName(e));
        }
        w.close();
        await(w.waitClosed());
        server.close();
        await(server.waitClosed());
        print("done");
        return done();
    }

    /** {@code lambda r, w: w.close()}: a plain function as the connection callback. */
    static Coroutine<Void> closeAtOnce(StreamReader r, StreamWriter w) {
        w.close();
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
