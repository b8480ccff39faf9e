package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.io.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The I/O examples on real loopback sockets, on free ports: the demos' output, and the servers
 * driven by raw blocking sockets (on a worker thread, {@code toThread}) so that what is on the
 * wire is exactly what the test wrote. Every read has a timeout; no test asserts a timing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoExamplesTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
        original.print(captured.toString(StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    // ---------------------------------------------------------------- raw socket helpers

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Reads until {@code text} has been seen {@code times} times; fails on EOF or after 5 s. */
    private static String readUntilCount(InputStream in, String text, int times) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (count(seen.toString(StandardCharsets.US_ASCII), text) < times) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("EOF after " + seen.toString(StandardCharsets.US_ASCII));
            }
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.US_ASCII);
    }

    /** Reads to EOF. */
    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static int count(String haystack, String needle) {
        int count = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    private static void pause() {
        try {
            Thread.sleep(30); // let the server read the first part alone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- demos

    @Test
    void testEchoDemo_linesComeBack() {
        Coro.run(EchoServer.main(ServerOptions.DEMO));
        assertEquals(List.of("echoed: hello", "echoed: one thread", "echoed: many sockets"), lines());
    }

    @Test
    void testChatDemo_eachLineGoesToEveryOtherMember() {
        Coro.run(ChatServer.main(ServerOptions.DEMO));
        assertEquals(List.of(
                "alice < welcome alice; here: alice",
                "bob < welcome bob; here: alice, bob",
                "alice < * bob joined",
                "carol < welcome carol; here: alice, bob, carol",
                "alice < * carol joined",
                "bob < * carol joined",
                "bob < alice: hi all",
                "carol < alice: hi all",
                "alice < bob: hi alice",
                "carol < bob: hi alice",
                "alice < * carol left",
                "bob < * carol left"), lines());
    }

    @Test
    void testHttpDemos_bothServersAnswerEveryRequest() {
        Coro.run(HttpProtocolServer.main(ServerOptions.DEMO));
        Coro.run(HttpStreamsServer.main(ServerOptions.DEMO));
        List<String> lines = lines();
        assertEquals(14, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.endsWith("HTTP/1.1 200 OK | Server: coro | Content-Type: text/plain | Content-Length: 13 | Hello, World!")
                    || line.equals("then the server closed the connection: true"), line);
        }
    }

    @Test
    void testMiniRedisDemo_sessionAsExpected() {
        Coro.run(MiniRedis.main(ServerOptions.DEMO));
        List<String> lines = lines();
        assertTrue(lines.get(0).endsWith("\"PONG\""), lines.toString());
        assertTrue(lines.contains("subscriber receives                [\"message\", \"news\", \"coro speaks RESP\"]"), lines.toString());
        assertTrue(lines.get(9).startsWith("> GET session") && lines.get(9).endsWith("(nil)"), lines.toString());
    }

    // ---------------------------------------------------------------- HTTP over a raw socket

    /** Runs {@code client} on a worker thread against a server started on a free port. */
    @Async
    private static Coroutine<String> withHttpServer(BiFunction<Plaintext, Integer, Coroutine<Server>> unused,
            boolean protocol, ThrowingClient client) {
        Plaintext plaintext = Plaintext.start(loop());
        Server server = await(protocol ? HttpProtocolServer.start(plaintext, "127.0.0.1", 0)
                : HttpStreamsServer.start(plaintext, "127.0.0.1", 0));
        int port = EchoServer.port(server);
        try {
            return done(await(toThread(() -> client.run(port))));
        } finally {
            plaintext.stop();
            server.close();
        }
    }

    @FunctionalInterface
    interface ThrowingClient {
        String run(int port) throws Exception;
    }

    private static final String REQUEST = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n"
            + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
            + "Connection: keep-alive\r\n\r\n";

    private static void checkResponses(String text, int expected) {
        assertEquals(expected, count(text, "HTTP/1.1 200 OK\r\n"), text);
        assertEquals(expected, count(text, "\r\nContent-Length: 13\r\n"), text);
        assertEquals(expected, count(text, "\r\nContent-Type: text/plain\r\n"), text);
        assertEquals(expected, count(text, "\r\nServer: coro\r\n"), text);
        assertEquals(expected, count(text, "\r\n\r\nHello, World!"), text);
        assertTrue(text.matches("(?s).*\r\nDate: [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT\r\n.*"), text);
        assertTrue(text.endsWith("Hello, World!"), text);
    }

    private void pipelinedAndSplit(boolean protocol) {
        String text = Coro.run(withHttpServer(null, protocol, port -> {
            try (Socket socket = connect(port)) {
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                // 16 requests in one write
                out.write(REQUEST.repeat(16).getBytes(StandardCharsets.US_ASCII));
                String batch = readUntilCount(in, "Hello, World!", 16);
                checkResponses(batch, 16);
                // one request in three writes, the second ending inside the \r\n\r\n
                byte[] request = REQUEST.getBytes(StandardCharsets.US_ASCII);
                int cut = request.length - 3;
                out.write(Arrays.copyOfRange(request, 0, 7));
                out.flush();
                pause();
                out.write(Arrays.copyOfRange(request, 7, cut));
                out.flush();
                pause();
                // the end of that request, and two more and a half in the same write
                String more = new String(Arrays.copyOfRange(request, cut, request.length), StandardCharsets.US_ASCII)
                        + REQUEST + REQUEST + REQUEST.substring(0, 20);
                out.write(more.getBytes(StandardCharsets.US_ASCII));
                String three = readUntilCount(in, "Hello, World!", 3);
                checkResponses(three, 3);
                out.write((REQUEST.substring(20) + "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String last = readToEnd(in); // the server closes after the Connection: close one
                checkResponses(last, 2);
                return batch;
            }
        }));
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
    }

    @Test
    void testHttpProtocol_pipelinedBatchAndSplitRequests() {
        pipelinedAndSplit(/* protocol = */ true);
    }

    @Test
    void testHttpStreams_pipelinedBatchAndSplitRequests() {
        pipelinedAndSplit(/* protocol = */ false);
    }

    /** The connection's context of every report the loop's exception handler got, as text. */
    @Async
    private static Coroutine<String> resetThenServed(List<String> reported) {
        loop().setExceptionHandler((l, context) -> reported.add(String.valueOf(context)));
        String text = await(withHttpServer(null, /* protocol = */ false, port -> {
            try (Socket socket = connect(port)) {
                socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                readUntilCount(socket.getInputStream(), "Hello, World!", 1);
                socket.setSoLinger(true, 0); // close() sends a reset
            }
            try (Socket socket = connect(port)) {
                socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                return readUntilCount(socket.getInputStream(), "Hello, World!", 1);
            }
        }));
        await(sleep(Duration.ofMillis(200))); // bounded: the loop reads the reset meanwhile
        return done(text);
    }

    @Test
    void testHttpStreams_aPeerThatResetsIsNotReportedAndOthersAreServed() {
        List<String> reported = new ArrayList<>();
        String text = Coro.run(resetThenServed(reported));
        checkResponses(text, 1);
        assertEquals(List.of(), reported);
    }

    private void badRequestThenOthersStillServed(boolean protocol) {
        String text = Coro.run(withHttpServer(null, protocol, port -> {
            String bad;
            try (Socket socket = connect(port)) {
                socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                bad = readToEnd(socket.getInputStream());
            }
            try (Socket socket = connect(port)) {
                socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                return bad + "|" + readUntilCount(socket.getInputStream(), "Hello, World!", 1);
            }
        }));
        assertTrue(text.startsWith("HTTP/1.1 400 Bad Request\r\n"), text);
        assertTrue(text.endsWith("Hello, World!"), text);
    }

    @Test
    void testHttpProtocol_badRequestGets400AndTheServerGoesOn() {
        badRequestThenOthersStillServed(true);
    }

    @Test
    void testHttpStreams_badRequestGets400AndTheServerGoesOn() {
        badRequestThenOthersStillServed(false);
    }

    // ---------------------------------------------------------------- mini-redis

    @Async
    private static Coroutine<List<Object>> redisSession(RespSession session) {
        Server server = await(MiniRedis.start("127.0.0.1", 0));
        try {
            return done(await(session.run(EchoServer.port(server))));
        } finally {
            server.close();
        }
    }

    @FunctionalInterface
    interface RespSession {
        Coroutine<List<Object>> run(int port);
    }

    @Async
    private static Coroutine<List<Object>> expirySession(int port) {
        RespClient client = await(RespClient.connect(port));
        List<Object> replies = new ArrayList<>();
        replies.add(await(client.call("SET", "k", "v", "EX", "10")));
        replies.add(await(client.call("TTL", "k")));
        replies.add(await(client.call("SET", "p", "v")));
        replies.add(await(client.call("EXPIRE", "p", "5")));
        replies.add(await(client.call("TTL", "p")));
        replies.add(await(client.call("TTL", "nope")));
        await(sleep(Duration.ofSeconds(6)));
        replies.add(await(client.call("GET", "p")));
        replies.add(await(client.call("GET", "k")));
        await(sleep(Duration.ofSeconds(5)));
        replies.add(await(client.call("GET", "k")));
        replies.add(await(client.call("DBSIZE")));
        await(client.close());
        return done(replies);
    }

    @Test
    void testMiniRedis_setExExpiresOnVirtualTime() {
        EventLoop loop = EventLoop.virtualTime();
        long start = System.nanoTime();
        List<Object> replies = Coro.run(redisSession(IoExamplesTest::expirySession), loop);
        assertEquals(Arrays.asList("OK", 10L, "OK", 1L, 5L, -2L, null, "v", null, 0L), replies);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "11 virtual seconds took real ones");
    }

    @Async
    private static Coroutine<List<Object>> commandsSession(int port) {
        RespClient client = await(RespClient.connect(port));
        List<Object> replies = new ArrayList<>();
        replies.add(await(client.call("PING")));
        replies.add(await(client.call("PING", "hey")));
        replies.add(await(client.call("ECHO", "héllo wörld")));
        replies.add(await(client.call("GET", "missing")));
        replies.add(await(client.call("INCR", "n")));
        replies.add(await(client.call("INCR", "n")));
        replies.add(await(client.call("SET", "s", "text")));
        replies.add(await(client.call("INCR", "s")));
        replies.add(await(client.call("SET", "s", "other", "NX")));
        replies.add(await(client.call("SET", "s", "other", "XX")));
        replies.add(await(client.call("GET", "s")));
        replies.add(await(client.call("DEL", "s", "n", "missing")));
        replies.add(await(client.call("GET")));
        replies.add(await(client.call("NOPE", "a")));
        // pipelined: three commands in one write, the third split across two writes
        byte[] batch = concat(RespClient.encode("SET", "big", "x".repeat(100_000)), RespClient.encode("GET", "a"),
                RespClient.encode("INCR", "counter"));
        client.sendRaw(Arrays.copyOfRange(batch, 0, batch.length - 5));
        await(sleep(Duration.ofMillis(20)));
        client.sendRaw(Arrays.copyOfRange(batch, batch.length - 5, batch.length));
        replies.add(await(client.read()));
        replies.add(await(client.read()));
        replies.add(await(client.read()));
        replies.add(((String) await(client.call("GET", "big"))).length());
        // inline commands, as typed in telnet
        client.sendRaw("SET  inline  yes\r\nGET inline\r\n".getBytes(StandardCharsets.US_ASCII));
        replies.add(await(client.read()));
        replies.add(await(client.read()));
        await(client.close());
        return done(replies);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void testMiniRedis_commandsPipeliningAndInline() {
        List<Object> replies = Coro.run(redisSession(IoExamplesTest::commandsSession));
        assertEquals(Arrays.asList("PONG", "hey", "héllo wörld", null, 1L, 2L, "OK",
                new RespClient.Error("ERR value is not an integer or out of range"), null, "OK", "other", 2L,
                new RespClient.Error("ERR wrong number of arguments for 'get' command"),
                new RespClient.Error("ERR unknown command 'NOPE', with args beginning with: 'a' "),
                "OK", null, 1L, 100_000, "OK", "yes"), replies);
    }

    @Async
    private static Coroutine<List<Object>> pubSubSession(int port) {
        RespClient publisher = await(RespClient.connect(port));
        RespClient first = await(RespClient.connect(port));
        RespClient second = await(RespClient.connect(port));
        List<Object> replies = new ArrayList<>();
        first.send("SUBSCRIBE", "news", "sport");
        replies.add(await(first.read()));
        replies.add(await(first.read()));
        replies.add(await(second.call("SUBSCRIBE", "news")));
        replies.add(await(second.call("GET", "x"))); // refused while subscribed
        replies.add(await(publisher.call("PUBLISH", "news", "one")));
        replies.add(await(publisher.call("PUBLISH", "sport", "two")));
        replies.add(await(publisher.call("PUBLISH", "nobody", "three")));
        replies.add(await(first.read()));
        replies.add(await(first.read()));
        replies.add(await(second.read()));
        await(second.close());
        await(sleep(Duration.ofMillis(50))); // the server sees the close
        replies.add(await(publisher.call("PUBLISH", "news", "four")));
        replies.add(await(first.read()));
        replies.add(await(first.call("UNSUBSCRIBE", "sport")));
        replies.add(await(publisher.call("PUBLISH", "sport", "five")));
        await(first.close());
        await(publisher.close());
        return done(replies);
    }

    @Test
    void testMiniRedis_publishReachesEverySubscriber() {
        List<Object> replies = Coro.run(redisSession(IoExamplesTest::pubSubSession));
        assertEquals(Arrays.asList(
                List.of("subscribe", "news", 1L), List.of("subscribe", "sport", 2L), List.of("subscribe", "news", 1L),
                new RespClient.Error("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                        + " are allowed in this context"),
                2L, 1L, 0L,
                List.of("message", "news", "one"), List.of("message", "sport", "two"), List.of("message", "news", "one"),
                1L, List.of("message", "news", "four"), List.of("unsubscribe", "sport", 1L), 0L), replies);
    }

    // ---------------------------------------------------------------- the command line

    @Test
    void testServerOptions_portMeansServe() {
        assertEquals(new ServerOptions("127.0.0.1", 8080, true), ServerOptions.parse(new String[] {"--port", "8080"}));
        assertEquals(new ServerOptions("0.0.0.0", 0, true), ServerOptions.parse(new String[] {"--host", "0.0.0.0"}));
        assertEquals(ServerOptions.DEMO, ServerOptions.parse(new String[0]));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(new String[] {"--port", "x"}));
        assertTrue(e.getMessage().contains("--port takes a number"), e.getMessage());
        assertNull(null);
    }
}
