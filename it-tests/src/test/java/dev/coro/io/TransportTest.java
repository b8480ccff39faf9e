package dev.coro.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Transports and protocols (asyncio's create_connection / create_server), on loopback. */
@Timeout(30)
class TransportTest extends IoTestBase {
    /** Records every callback; replies "ok\n" to each chunk if asked. */
    static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final Promise<Void> lost;
        final boolean keepOpenOnEof;
        Transport transport;

        Recorder(EventLoop loop, boolean keepOpenOnEof) {
            this.lost = loop.createPromise();
            this.keepOpenOnEof = keepOpenOnEof;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            events.add("data " + StandardCharsets.UTF_8.decode(data));
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return keepOpenOnEof;
        }

        @Override
        public void connectionLost(Throwable exception) {
            events.add("lost " + exception);
            lost.setResult(null);
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }
    }

    @Async
    Coroutine<List<String>> callbackOrder(boolean keepOpen) throws IOException {
        EventLoop loop = loop();
        Recorder[] serverSide = new Recorder[1];
        Server server = await(loop.createServer(() -> serverSide[0] = new Recorder(loop, keepOpen), "127.0.0.1", 0));
        Recorder client = new Recorder(loop, false);
        Transport t = await(loop.createConnection(() -> client, "127.0.0.1", port(server)));
        List<String> out = new ArrayList<>();
        out.add("returned after made: " + client.events);
        t.write("hello".getBytes());
        while (serverSide[0] == null || serverSide[0].events.size() < 2) {
            await(sleep(Duration.ofMillis(1)));
        }
        t.writeEof();
        if (keepOpen) {
            while (serverSide[0].events.size() < 3) {
                await(sleep(Duration.ofMillis(1)));
            }
            serverSide[0].transport.write("still writable".getBytes());
            serverSide[0].transport.close();
        }
        await(serverSide[0].lost);
        await(client.lost);
        out.add("server " + serverSide[0].events);
        out.add("client " + client.events);
        server.close();
        await(server.waitClosed());
        return done(out);
    }

    @Test
    void callbackOrder_eofReceivedFalseCloses() throws Exception {
        assertEquals(List.of("returned after made: [made]", "server [made, data hello, eof, lost null]",
                "client [made, eof, lost null]"), run(callbackOrder(false)));
    }

    @Test
    void eofReceivedTrue_keepsTheConnectionWritable() throws Exception {
        assertEquals(List.of("returned after made: [made]", "server [made, data hello, eof, lost null]",
                "client [made, data still writable, eof, lost null]"), run(callbackOrder(true)));
    }

    @Async
    Coroutine<String> failingDataReceived() {
        EventLoop loop = loop();
        Promise<Throwable> lostWith = loop.createPromise();
        Server server = await(loop.createServer(() -> new Protocol() {
            @Override
            public void dataReceived(ByteBuffer data) {
                throw new IllegalStateException("bad protocol");
            }

            @Override
            public void connectionLost(Throwable exception) {
                lostWith.setResult(exception);
            }
        }, "127.0.0.1", 0));
        Recorder client = new Recorder(loop, false);
        Transport t = await(loop.createConnection(() -> client, "127.0.0.1", port(server)));
        t.write("x".getBytes());
        Throwable e = await(lostWith);
        await(client.lost);
        server.close();
        await(server.waitClosed());
        return done(e.getMessage() + " / " + handledMessages());
    }

    @Test
    void anExceptionInDataReceived_goesToTheHandler_thenConnectionLost() throws Exception {
        assertEquals("bad protocol / [Fatal error: protocol.data_received() call failed.]", run(failingDataReceived()));
    }

    @Async
    Coroutine<List<String>> writeFlowControl() {
        EventLoop loop = loop();
        Promise<Transport> accepted = loop.createPromise();
        Server server = await(loop.createServer(() -> new Protocol() {
            @Override
            public void connectionMade(Transport t) {
                t.pauseReading();
                t.pauseReading(); // idempotent
                accepted.setResult(t);
            }
        }, "127.0.0.1", 0));
        Recorder client = new Recorder(loop, false);
        Transport t = await(loop.createConnection(() -> client, "127.0.0.1", port(server)));
        Transport serverSide = await(accepted);
        t.setWriteBufferLimits(1 << 16, 1 << 14);
        byte[] chunk = new byte[1 << 16];
        List<String> out = new ArrayList<>();
        // Write until the kernel buffers are full and ours passes the high water mark.
        int writes = 0;
        while (!client.events.contains("pause") && writes < 10_000) {
            t.write(chunk);
            writes++;
        }
        out.add("paused inside write(): " + client.events.contains("pause"));
        out.add("buffered above high: " + (t.getWriteBufferSize() > (1 << 16)));
        serverSide.resumeReading();
        serverSide.resumeReading();
        while (!client.events.contains("resume")) {
            await(sleep(Duration.ofMillis(1)));
        }
        out.add("resumed at or below low: " + (t.getWriteBufferSize() <= (1 << 14)));
        out.add(String.valueOf(client.events.stream().filter(e -> e.equals("pause") || e.equals("resume")).toList()));
        t.abort();
        await(client.lost);
        serverSide.close();
        server.close();
        await(server.waitClosed());
        return done(out);
    }

    @Test
    void pauseAndResumeWriting_atTheWaterMarks_once_each() throws Exception {
        assertEquals(List.of("paused inside write(): true", "buffered above high: true", "resumed at or below low: true",
                "[pause, resume]"), run(writeFlowControl()));
    }

    @Async
    Coroutine<String> gatheringWriteLines() {
        EventLoop loop = loop();
        Promise<Transport> accepted = loop.createPromise();
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        Server server = await(loop.createServer(() -> new Protocol() {
            @Override
            public void connectionMade(Transport t) {
                t.pauseReading(); // the kernel buffers fill up: writeLines must buffer the rest, in order
                accepted.setResult(t);
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                received.writeBytes(bytes);
            }
        }, "127.0.0.1", 0));
        Recorder client = new Recorder(loop, false);
        Transport t = await(loop.createConnection(() -> client, "127.0.0.1", port(server)));
        Transport serverSide = await(accepted);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // about 13 MB: more than loopback's kernel buffers take
            byte[] chunk = new byte[i % 7 == 3 ? 0 : 64 * 1024 + i]; // some empty arrays, odd sizes
            java.util.Arrays.fill(chunk, (byte) i);
            lines.add(chunk);
            expected.writeBytes(chunk);
        }
        t.writeLines(lines);
        boolean bufferedSome = t.getWriteBufferSize() > 0;
        t.writeLines(List.of("after ".getBytes(), "all".getBytes())); // behind what is buffered
        expected.writeBytes("after all".getBytes());
        t.writeLines(List.of()); // nothing
        serverSide.resumeReading();
        for (int i = 0; received.size() < expected.size() && i < 20_000; i++) { // bounded: about 20 s
            await(sleep(Duration.ofMillis(1)));
        }
        t.close();
        await(client.lost);
        serverSide.close();
        server.close();
        await(server.waitClosed());
        return done("buffered some: " + bufferedSome + ", same bytes in order: "
                + java.util.Arrays.equals(expected.toByteArray(), received.toByteArray()));
    }

    @Test
    void writeLines_oneGatheringWrite_theRestBufferedInOrder() throws Exception {
        assertEquals("buffered some: true, same bytes in order: true", run(gatheringWriteLines()));
    }

    @Async
    Coroutine<String> extraInfo() {
        EventLoop loop = loop();
        Server server = await(loop.createServer(() -> new Protocol() { }, "127.0.0.1", 0));
        Transport t = await(loop.createConnection(() -> new Protocol() { }, "127.0.0.1", port(server)));
        SocketAddress peer = (SocketAddress) t.getExtraInfo("peername");
        SocketAddress local = (SocketAddress) t.getExtraInfo("sockname");
        String r = (((InetSocketAddress) peer).getPort() == port(server)) + " " + (local instanceof InetSocketAddress)
                + " " + (t.getExtraInfo("socket") != null) + " " + t.getExtraInfo("nothing");
        t.close();
        assertTrue(t.isClosing());
        server.close();
        await(server.waitClosed());
        return done(r);
    }

    @Test
    void extraInfo_peernameSocknameSocket() throws Exception {
        assertEquals("true true true null", run(extraInfo()));
    }

    @Async
    Coroutine<String> datagramEcho() {
        EventLoop loop = loop();
        DatagramTransport server = await(loop.createDatagramEndpoint(() -> new DatagramProtocol() {
            DatagramTransport self;

            @Override
            public void connectionMade(DatagramTransport t) {
                self = t;
            }

            @Override
            public void datagramReceived(ByteBuffer data, SocketAddress from) {
                ByteBuffer reply = ByteBuffer.allocate(data.remaining() + 5);
                reply.put("echo ".getBytes()).put(data).flip();
                self.sendTo(reply, from);
            }
        }, new InetSocketAddress("127.0.0.1", 0), null));
        Promise<String> got = loop.createPromise();
        SocketAddress serverAddress = (SocketAddress) server.getExtraInfo("sockname");
        DatagramTransport client = await(loop.createDatagramEndpoint(() -> new DatagramProtocol() {
            @Override
            public void datagramReceived(ByteBuffer data, SocketAddress from) {
                got.setResult(StandardCharsets.UTF_8.decode(data).toString());
            }
        }, null, serverAddress));
        client.sendTo("hi".getBytes(), null);
        String r = await(got);
        client.close();
        server.close();
        return done(r);
    }

    @Test
    void datagramEndpoint_echo() throws Exception {
        assertEquals("echo hi", run(datagramEcho()));
    }

    @Async
    static Coroutine<Void> upper(StreamReader reader, StreamWriter writer) {
        byte[] line = await(reader.readLine());
        writer.write(new String(line, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
        await(writer.drain());
        return done();
    }

    @Async
    Coroutine<String> unixStreams(Path path) {
        Server server = await(dev.coro.Coro.startUnixServer(TransportTest::upper, path));
        Connection c = await(dev.coro.Coro.openUnixConnection(path));
        c.writer().write("unix\n".getBytes());
        byte[] back = await(c.reader().readLine());
        c.writer().close();
        server.close();
        await(server.waitClosed());
        return done(new String(back, StandardCharsets.UTF_8) + Files.exists(path));
    }

    @Test
    void unixDomainSocketStreams_andTheSocketFileIsRemovedOnClose() throws Exception {
        Path dir = Files.createTempDirectory("coro-unix");
        Path path = dir.resolve("s.sock");
        Files.writeString(path, ""); // not a socket: must not be silently removed
        Files.delete(path);
        try {
            assertEquals("UNIX\nfalse", run(unixStreams(path)));
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    /** A blocking client on another thread: the loop serves while a plain Java socket talks to it. */
    @Async
    Coroutine<String> serveABlockingClient() throws Exception {
        Server server = await(dev.coro.Coro.startServer(TransportTest::upper, "127.0.0.1", 0));
        int port = port(server);
        String reply = await(dev.coro.Coro.toThread(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                OutputStream out = s.getOutputStream();
                out.write("abc\n".getBytes());
                out.flush();
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }));
        server.close();
        await(server.waitClosed());
        return done(reply);
    }

    @Test
    void aHandlerEndingClosesItsConnection() throws Exception {
        assertEquals("ABC\n", run(serveABlockingClient()));
    }
}
