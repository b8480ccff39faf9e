package dev.coro.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.Coro.startServer;
import static dev.coro.Coro.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input and faults (issue 9, section 7): in each case the connection's task gets a clear
 * exception and the server goes on serving.
 */
@Timeout(60)
class StreamFaultTest extends IoTestBase {
    /** What the handlers saw, in order: "line ..." or the exception's class and message. */
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Async
    Coroutine<Void> lineEcho(StreamReader reader, StreamWriter writer) {
        try {
            while (true) {
                byte[] line = await(reader.readLine(), IOException.class);
                if (line.length == 0) {
                    break;
                }
                seen.add("line " + new String(line, StandardCharsets.UTF_8).strip());
                writer.write(line);
                await(writer.drain(), IOException.class);
            }
        } catch (LimitOverrunException e) {
            seen.add("LimitOverrunException consumed>0=" + (e.consumed() > 0));
            writer.close();
        } catch (IOException e) {
            seen.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return done();
    }

    /** One round trip by a well-behaved client: the server still serves. */
    @Async
    static Coroutine<String> roundTrip(int port, String text) {
        Connection c = await(openConnection("127.0.0.1", port));
        c.writer().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] back = await(c.reader().readLine());
        c.writer().close();
        return done(new String(back, StandardCharsets.UTF_8).strip());
    }

    static String blockingClient(int port, ClientScript script) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return script.run(s, s.getInputStream(), s.getOutputStream());
        }
    }

    interface ClientScript {
        String run(Socket s, InputStream in, OutputStream out) throws Exception;
    }

    @Async
    Coroutine<String> peerResetsMidRead() throws Exception {
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        await(toThread(() -> blockingClient(port, (s, in, out) -> {
            out.write("partial line without end".getBytes());
            out.flush();
            Thread.sleep(50);
            s.setSoLinger(true, 0); // close sends RST
            return "reset";
        })));
        while (seen.isEmpty()) {
            await(sleep(Duration.ofMillis(5)));
        }
        String after = await(roundTrip(port, "still serving"));
        server.close();
        await(server.waitClosed());
        return done(seen.get(0) + " | " + after);
    }

    @Test
    void aPeerThatResetsMidRead_givesTheHandlerAnIOException_andTheServerGoesOn() throws Exception {
        assertEquals("SocketException: Connection reset | still serving", run(peerResetsMidRead()));
    }

    @Async
    Coroutine<String> halfClose() throws Exception {
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        String reply = await(toThread(() -> blockingClient(port, (s, in, out) -> {
            out.write("one\ntwo".getBytes());
            s.shutdownOutput(); // half-close: we still read the replies
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        })));
        server.close();
        await(server.waitClosed());
        return done(reply.replace("\n", "/") + " " + seen);
    }

    @Test
    void aHalfClose_theHandlerReadsToEofAndStillWrites() throws Exception {
        assertEquals("one/two [line one, line two]", run(halfClose()));
    }

    @Async
    Coroutine<String> hugeLine() throws Exception {
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        String outcome = await(toThread(() -> blockingClient(port, (s, in, out) -> {
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try {
                for (int i = 0; i < 10; i++) {
                    out.write(chunk); // 10 MB without a newline
                }
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                return "server closed while we wrote";
            }
            return in.read() == -1 ? "server closed" : "server answered";
        })));
        String after = await(roundTrip(port, "still serving"));
        server.close();
        await(server.waitClosed());
        return done(outcome.startsWith("server closed") + " " + seen.get(0) + " | " + after);
    }

    @Test
    void a10MbLine_limitOverrun_theHandlerClosesTheConnection_theServerGoesOn() throws Exception {
        assertEquals("true LimitOverrunException consumed>0=true | still serving", run(hugeLine()));
    }

    @Async
    Coroutine<String> slowloris() throws Exception {
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        List<Task<String>> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slow.add(spawn(slowClient(port)));
        }
        // Normal clients beside them: 20 round trips complete while every slow client is still
        // dribbling its line (each takes >= 40 bytes x 20 ms).
        for (int i = 0; i < 20; i++) {
            String back = await(roundTrip(port, "fast " + i));
            assertEquals("fast " + i, back);
        }
        int slowDone = 0;
        for (Task<String> t : slow) {
            slowDone += t.isDone() ? 1 : 0;
        }
        List<Object> slowResults = await(gather(slow.toArray(new Task<?>[0])));
        server.close();
        await(server.waitClosed());
        return done("slow done before the fast ones: " + slowDone + ", slow results: " + slowResults.size()
                + " " + slowResults.get(0));
    }

    @Async
    static Coroutine<String> slowClient(int port) {
        Connection c = await(openConnection("127.0.0.1", port));
        byte[] line = "a slow line, one byte at a time........\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : line) {
            c.writer().write(new byte[] {b});
            await(sleep(Duration.ofMillis(20)));
        }
        byte[] back = await(c.reader().readLine());
        c.writer().close();
        return done(new String(back, StandardCharsets.UTF_8).strip());
    }

    @Test
    void slowlorisClients_doNotHoldUpNormalClients() throws Exception {
        assertEquals("slow done before the fast ones: 0, slow results: 5 a slow line, one byte at a time........",
                run(slowloris()));
    }

    @Async
    Coroutine<String> peerNeverReads() throws Exception {
        Promise<String> report = loop().createPromise();
        Server server = await(startServer((reader, writer) -> flood(writer, report), "127.0.0.1", 0));
        int port = port(server);
        Socket[] client = new Socket[1];
        await(toThread(() -> {
            client[0] = new Socket("127.0.0.1", port);
            return null;
        }));
        String r = await(report);
        client[0].close();
        server.close();
        await(server.waitClosed());
        return done(r);
    }

    /** Writes 64 KiB chunks with drain() until drain blocks for 200 ms; reports the buffer size. */
    @Async
    Coroutine<Void> flood(StreamWriter writer, Promise<String> report) {
        byte[] chunk = new byte[64 * 1024];
        int maxBuffered = 0;
        for (int i = 0; i < 1000; i++) {
            writer.write(chunk);
            maxBuffered = Math.max(maxBuffered, writer.transport().getWriteBufferSize());
            Task<Void> draining = spawn(writer.drain());
            await(dev.coro.Coro.waitUntil(dev.coro.ReturnWhen.ALL_COMPLETED, List.of(draining), Duration.ofMillis(200)));
            if (!draining.isDone()) {
                draining.cancel();
                report.setResult("drain blocked after " + (i > 0) + " writes; buffer never above "
                        + (maxBuffered <= 64 * 1024 + chunk.length ? "high + one chunk" : maxBuffered));
                return done();
            }
        }
        report.setResult("drain never blocked");
        return done();
    }

    @Test
    void aPeerThatNeverReads_drainBlocks_andTheBufferStaysBounded() throws Exception {
        assertEquals("drain blocked after true writes; buffer never above high + one chunk", run(peerNeverReads()));
    }

    @Async
    Coroutine<String> manyConnections(int count) throws Exception {
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        for (int done = 0; done < count; done += 100) {
            List<Coroutine<?>> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                batch.add(openAndClose(port));
            }
            await(gather(batch.toArray(new Coroutine<?>[0])));
        }
        // Let the server side of the last connections see EOF and close.
        for (int i = 0; i < 200 && openFdsOrZero() > baseline + 20; i++) {
            await(sleep(Duration.ofMillis(10)));
        }
        server.close();
        await(server.waitClosed());
        return done("ok");
    }

    int baseline;

    static int openFdsOrZero() {
        try {
            return openFds();
        } catch (IOException e) {
            return 0;
        }
    }

    @Async
    static Coroutine<Void> openAndClose(int port) {
        Connection c = await(openConnection("127.0.0.1", port));
        c.writer().close();
        await(c.writer().waitClosed());
        return done();
    }

    @Test
    void tenThousandConnectionsOpenedAndClosed_fdsReturnToTheBaseline() throws Exception {
        // warm up: the loop's selector and the JDK's own descriptors exist before the baseline
        run(manyConnections(100));
        System.gc();
        Map<String, String> before = openFdTargets();
        baseline = before.size();
        long heapBefore = usedHeapAfterGc();
        assertEquals("ok", run(manyConnections(10_000)));
        // A leak stays; a bounded re-check lets a descriptor another thread is closing go.
        Map<String, String> leaked = coroDescriptorsOpenedSince(before);
        for (int i = 0; i < 20 && !leaked.isEmpty(); i++) {
            Thread.sleep(50);
            leaked = coroDescriptorsOpenedSince(before);
        }
        assertEquals(Map.of(), leaked, "descriptors open after 10,000 connections that were not open before"
                + " (baseline " + baseline + " descriptors)");
        long heapAfter = usedHeapAfterGc();
        assertTrue(heapAfter < heapBefore + 16 * 1024 * 1024,
                "heap after GC grew from " + heapBefore + " to " + heapAfter + " bytes");
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @Async
    Coroutine<String> closeWithClientsConnected() throws Exception {
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        Connection c = await(openConnection("127.0.0.1", port));
        c.writer().write("before\n".getBytes());
        await(c.reader().readLine());
        server.close();
        List<String> out = new ArrayList<>();
        out.add("serving " + server.isServing() + " sockets " + server.sockets().size());
        Task<Void> waiting = spawn(server.waitClosed());
        c.writer().write("after close\n".getBytes());
        out.add("open connection still served: " + new String(await(c.reader().readLine())).strip());
        out.add("waitClosed done while a client is connected: " + waiting.isDone());
        try {
            await(roundTrip(port, "new"), IOException.class);
            out.add("new connection accepted?");
        } catch (java.net.ConnectException e) {
            out.add("new connection refused");
        }
        server.closeClients();
        await(waiting);
        out.add("waitClosed after closeClients");
        return done(String.join("; ", out));
    }

    @Test
    void closingAServerWithClientsConnected() throws Exception {
        assertEquals("serving false sockets 0; open connection still served: after close; "
                + "waitClosed done while a client is connected: false; new connection refused; waitClosed after closeClients",
                run(closeWithClientsConnected()));
    }

    @Async
    Coroutine<String> cancelBlockedOperations() throws Exception {
        List<String> out = new ArrayList<>();
        Server server = await(startServer(this::lineEcho, "127.0.0.1", 0));
        int port = port(server);
        // read
        Connection c = await(openConnection("127.0.0.1", port));
        Task<byte[]> reading = spawn(c.reader().readLine());
        await(sleep(Duration.ofMillis(10)));
        reading.cancel();
        out.add("read: " + await(cancelled(reading)));
        c.writer().write("next\n".getBytes());
        out.add("the next read works: " + new String(await(c.reader().readLine())).strip());
        c.writer().close();
        // connect: a listener whose accept queue is full drops SYNs, so connect stays pending
        ServerSocketChannel full = ServerSocketChannel.open();
        full.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        int fullPort = ((InetSocketAddress) full.getLocalAddress()).getPort();
        List<Socket> fillers = new ArrayList<>();
        Task<Connection> connecting = null;
        for (int i = 0; i < 8 && connecting == null; i++) {
            Task<Connection> attempt = spawn(openConnection("127.0.0.1", fullPort));
            await(sleep(Duration.ofMillis(50)));
            if (!attempt.isDone()) {
                connecting = attempt;
            }
        }
        if (connecting != null) {
            connecting.cancel();
            out.add("connect: " + await(cancelled(connecting)));
        } else {
            out.add("connect: could not make a connect block");
        }
        full.close();
        server.close();
        await(server.waitClosed());
        for (Socket s : fillers) {
            s.close();
        }
        return done(String.join("; ", out));
    }

    @Async
    static Coroutine<String> cancelled(Task<?> task) {
        try {
            await(task);
            return done("not cancelled");
        } catch (CancelledError e) {
            return done("cancelled");
        }
    }

    @Test
    void cancellingATaskBlockedInReadOrConnect() throws Exception {
        assertEquals("read: cancelled; the next read works: next; connect: cancelled", run(cancelBlockedOperations()));
    }
}
