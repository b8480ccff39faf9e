package dev.coro.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Task;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** asyncio's loop.sock_* and add_reader/add_writer, on real loopback sockets. */
@Timeout(30)
class SockApiTest extends IoTestBase {
    static ServerSocketChannel listener() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        s.configureBlocking(false);
        return s;
    }

    static int portOf(ServerSocketChannel s) throws IOException {
        return ((InetSocketAddress) s.getLocalAddress()).getPort();
    }

    @Async
    static Coroutine<List<Object>> pair() throws IOException {
        EventLoop loop = loop();
        ServerSocketChannel server = listener();
        SocketChannel client = SocketChannel.open();
        client.configureBlocking(false);
        Task<SocketChannel> accepting = spawn(loop.sockAccept(server));
        await(loop.sockConnect(client, new InetSocketAddress("127.0.0.1", portOf(server))));
        SocketChannel conn = await(accepting);
        server.close();
        return done(List.of(client, conn));
    }

    @Async
    Coroutine<String> sendAllRecvAndEof() throws IOException {
        EventLoop loop = loop();
        List<Object> p = await(pair());
        SocketChannel client = (SocketChannel) p.get(0);
        SocketChannel conn = (SocketChannel) p.get(1);
        assertFalse(conn.isBlocking(), "sock_accept gives a non-blocking connection");
        byte[] big = new byte[4 << 20];
        new Random(7).nextBytes(big);
        Task<Void> sending = spawn(loop.sockSendAll(client, big));
        ByteBuffer got = ByteBuffer.allocate(big.length);
        int reads = 0;
        while (got.hasRemaining()) {
            byte[] chunk = await(loop.sockRecv(conn, 65536));
            assertTrue(chunk.length > 0 && chunk.length <= 65536, "short reads of at most n bytes");
            got.put(chunk);
            reads++;
        }
        await(sending);
        assertArrayEquals(big, got.array());
        client.shutdownOutput();
        ByteBuffer into = ByteBuffer.allocate(10);
        int n = await(loop.sockRecvInto(conn, into));
        assertEquals(0, n, "sock_recv_into gives 0 after the peer's SHUT_WR");
        byte[] eof = await(loop.sockRecv(conn, 10));
        assertEquals(0, eof.length, "and sock_recv gives b''");
        client.close();
        conn.close();
        return done("ok " + (reads > 1));
    }

    @Test
    void sendAll4MiB_recvShortReads_eofAfterShutdown() throws Exception {
        assertEquals("ok true", run(sendAllRecvAndEof()));
    }

    @Async
    Coroutine<String> cancelledRecvConsumesNothing() throws IOException {
        EventLoop loop = loop();
        List<Object> p = await(pair());
        SocketChannel client = (SocketChannel) p.get(0);
        SocketChannel conn = (SocketChannel) p.get(1);
        Task<byte[]> pending = spawn(loop.sockRecv(conn, 100));
        await(sleep(Duration.ofMillis(20)));
        assertFalse(pending.isDone());
        pending.cancel();
        // the bytes arrive while (or right after) the cancelled receive is being torn down
        client.write(ByteBuffer.wrap("hello".getBytes()));
        await(sleep(Duration.ofMillis(20)));
        assertTrue(pending.isCancelled());
        Task<Integer> intoPending = spawn(loop.sockRecvInto(conn, ByteBuffer.allocate(1)));
        intoPending.cancel();
        await(sleep(Duration.ZERO));
        byte[] got = await(loop.sockRecv(conn, 100));
        client.close();
        conn.close();
        return done(new String(got));
    }

    @Test
    void cancelledReceiveConsumesNothing_theNextReceiveGetsTheBytes() throws Exception {
        assertEquals("hello", run(cancelledRecvConsumesNothing()));
    }

    @Async
    Coroutine<List<Object>> readersAndWriters() throws IOException {
        EventLoop loop = loop();
        List<Object> p = await(pair());
        SocketChannel client = (SocketChannel) p.get(0);
        SocketChannel conn = (SocketChannel) p.get(1);
        List<Object> seen = new ArrayList<>();
        dev.coro.Promise<Void> readable = loop.createPromise();
        loop.addReader(conn, () -> {
            if (!readable.isDone()) {
                readable.setResult(null);
            }
        });
        client.write(ByteBuffer.wrap(new byte[] {1}));
        await(readable);
        seen.add("reader called");
        seen.add(loop.removeReader(conn));
        seen.add(loop.removeReader(conn));
        dev.coro.Promise<Void> writable = loop.createPromise();
        loop.addWriter(client, () -> {
            if (!writable.isDone()) {
                writable.setResult(null);
            }
        });
        await(writable);
        seen.add("writer called");
        seen.add(loop.removeWriter(client));
        seen.add(loop.removeWriter(client));
        client.close();
        conn.close();
        return done(seen);
    }

    @Test
    void addReader_removeReader_trueThenFalse_sameForWriters() throws Exception {
        assertEquals(List.of("reader called", true, false, "writer called", true, false), run(readersAndWriters()));
    }

    @Async
    Coroutine<String> refused() throws IOException {
        ServerSocketChannel s = listener();
        int port = portOf(s);
        s.close();
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        try {
            await(loop().sockConnect(c, new InetSocketAddress("127.0.0.1", port)), IOException.class);
            return done("connected?");
        } catch (ConnectException e) {
            return done("refused");
        } finally {
            c.close();
        }
    }

    @Test
    void connectToAClosedPort_throwsConnectException() throws Exception {
        assertEquals("refused", run(refused()));
    }

    @Async
    Coroutine<String> transportOwnsItsChannel() {
        Server server = await(loop().createServer(() -> new Protocol() { }, "127.0.0.1", 0));
        Transport t = await(loop().createConnection(() -> new Protocol() { }, "127.0.0.1", port(server)));
        SocketChannel channel = (SocketChannel) t.getExtraInfo("socket");
        String result;
        try {
            loop().addReader(channel, () -> { });
            result = "accepted";
        } catch (IllegalStateException e) {
            result = "refused: " + e.getMessage().contains("transport");
        }
        t.close();
        server.close();
        await(server.waitClosed());
        return done(result);
    }

    @Test
    void addReaderOnATransportsChannel_isRefused() throws Exception {
        assertEquals("refused: true", run(transportOwnsItsChannel()));
    }

    @Test
    void blockingChannel_isRefusedWithAClearMessage() throws IOException {
        try (EventLoop loop = EventLoop.create(); SocketChannel c = SocketChannel.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.sockRecv(c, 1));
            assertTrue(e.getMessage().contains("non-blocking"), e.getMessage());
        }
    }

    @Async
    Coroutine<String> cancelConnectAndAccept() throws IOException {
        EventLoop loop = loop();
        ServerSocketChannel s = listener();
        Task<SocketChannel> accepting = spawn(loop.sockAccept(s));
        await(sleep(Duration.ofMillis(10)));
        accepting.cancel();
        try {
            await(accepting);
        } catch (CancelledError e) {
            // expected
        }
        // The cancelled accept took nothing: the next one gets the connection.
        SocketChannel c = SocketChannel.open();
        c.configureBlocking(false);
        Task<SocketChannel> again = spawn(loop.sockAccept(s));
        await(loop.sockConnect(c, new InetSocketAddress("127.0.0.1", portOf(s))));
        SocketChannel conn = await(again);
        String r = accepting.isCancelled() + " " + (conn != null);
        conn.close();
        c.close();
        s.close();
        return done(r);
    }

    @Test
    void cancelAnAccept_theNextAcceptGetsTheConnection() throws Exception {
        assertEquals("true true", run(cancelConnectAndAccept()));
    }

    @Async
    Coroutine<String> udp() throws IOException {
        EventLoop loop = loop();
        DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        a.configureBlocking(false);
        b.configureBlocking(false);
        Task<Datagram> receiving = spawn(loop.sockRecvFrom(b, 100));
        int sent = await(loop.sockSendTo(a, ByteBuffer.wrap("ping".getBytes()), b.getLocalAddress()));
        Datagram d = await(receiving);
        String r = sent + " " + new String(d.data()) + " " + d.address().equals(a.getLocalAddress());
        a.close();
        b.close();
        return done(r);
    }

    @Test
    void sockSendTo_sockRecvFrom() throws Exception {
        assertEquals("4 ping true", run(udp()));
    }

    @Test
    void aLoopThatNeverDoesIo_opensNoSelector() throws IOException {
        Map<String, String> before = openFdTargets();
        try (EventLoop loop = EventLoop.create()) {
            loop.runUntilComplete(sleep(Duration.ofMillis(1)));
            assertEquals(Map.of(), coroDescriptorsOpenedSince(before),
                    "no selector (an epoll fd and an eventfd) should be opened");
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes();
    }

    static String str(byte[] b) {
        return Arrays.toString(b);
    }
}
