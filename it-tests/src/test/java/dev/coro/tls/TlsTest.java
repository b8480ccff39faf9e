package dev.coro.tls;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.startServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.io.Connection;
import dev.coro.io.Protocol;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import dev.coro.io.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on real loopback connections: Coro on both sides, against the JDK's SSLSocket, against
 * openssl, and the bad peers (plaintext, stalled, untrusted, truncated) that must fail one
 * connection with a clear exception while the server goes on.
 */
@Timeout(20)
class TlsTest {
    @TempDir
    static Path dir;
    static Certs certs;
    static Certs other;
    static SSLContext serverContext;
    static SSLContext clientContext;

    final List<Map<String, Object>> handled = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = Certs.make(dir, "server");
        other = Certs.make(dir, "other");
        serverContext = certs.serverContext();
        clientContext = certs.clientContext();
    }

    <T> T run(Coroutine<T> main) {
        try (EventLoop loop = EventLoop.create()) {
            loop.setExceptionHandler((l, context) -> handled.add(context));
            return loop.runUntilComplete(main);
        }
    }

    static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }

    static StreamOptions serverOptions() {
        return StreamOptions.defaults().ssl(serverContext);
    }

    static StreamOptions clientOptions() {
        return StreamOptions.defaults().ssl(clientContext);
    }

    // ---------------------------------------------------------------- Coro on both sides

    /** Server side: echoes lines; the first line back is what the server saw of TLS. */
    @Async
    static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
        SSLSession session = (SSLSession) writer.getExtraInfo("sslsession");
        List<String> names = new ArrayList<>();
        for (var n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
            names.add(((SNIHostName) n).getAsciiName());
        }
        writer.write("sni=" + names + " alpn=" + writer.getExtraInfo("alpn_protocol") + "\n");
        byte[] line;
        while ((line = await(reader.readLine())).length > 0) {
            writer.write(line);
            await(writer.drain());
        }
        return done();
    }

    @Async
    static Coroutine<List<String>> echoClient() {
        Server server = await(startServer(TlsTest::echo, "127.0.0.1", 0,
                serverOptions().alpnProtocols("h2", "http/1.1").limit(4 << 20)));
        Connection c = await(openConnection("127.0.0.1", port(server),
                clientOptions().serverHostname("localhost").alpnProtocols("http/1.1").limit(4 << 20)));
        List<String> got = new ArrayList<>();
        got.add(new String(await(c.reader().readLine()), StandardCharsets.UTF_8).trim());
        X509Certificate peer = (X509Certificate) c.writer().getExtraInfo("peercert");
        got.add(peer.getSubjectX500Principal().getName());
        got.add(String.valueOf(c.writer().getExtraInfo("sslcontext") == clientContext));
        got.add(String.valueOf(c.writer().getExtraInfo("alpn_protocol")));
        got.add(String.valueOf(c.writer().getExtraInfo("peername") != null));
        for (int i = 0; i < 3; i++) {
            c.writer().write("line " + i + "\n");
            got.add(new String(await(c.reader().readLine()), StandardCharsets.UTF_8).trim());
        }
        // 1 MiB through the TLS records and back, with drain() on both sides.
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        for (int i = 0; i < big.length; i++) {
            if (big[i] == '\n') {
                big[i] = 'x';
            }
        }
        c.writer().write(big);
        c.writer().write("\n");
        await(c.writer().drain());
        byte[] back = await(c.reader().readLine());
        assertArrayEquals(big, Arrays.copyOf(back, back.length - 1));
        got.add("big ok");
        c.writer().close(); // close_notify; the server's readLine() sees EOF, its handler ends
        await(c.writer().waitClosed());
        server.close();
        await(server.waitClosed());
        return done(got);
    }

    @Test
    void echo_coroOnBothSides() {
        List<String> got = run(echoClient());
        assertEquals(List.of("sni=[localhost] alpn=http/1.1", "CN=localhost", "true", "http/1.1", "true",
                "line 0", "line 1", "line 2", "big ok"), got);
        assertEquals(List.of(), handled);
    }

    /** The server closes first: the client reads the data, then a clean EOF (close_notify). */
    @Async
    static Coroutine<String> serverClosesFirst() {
        Server server = await(startServer((reader, writer) -> {
            writer.write("bye\n");
            writer.close();
            return done();
        }, "127.0.0.1", 0, serverOptions()));
        Connection c = await(openConnection("127.0.0.1", port(server), clientOptions()));
        byte[] all = await(c.reader().read());
        StringBuilder sb = new StringBuilder(new String(all, StandardCharsets.UTF_8));
        byte[] more;
        while ((more = await(c.reader().read())).length > 0) {
            sb.append(new String(more, StandardCharsets.UTF_8));
        }
        sb.append("eof=").append(c.reader().atEof());
        await(c.writer().waitClosed());
        server.close();
        await(server.waitClosed());
        return done(sb.toString());
    }

    @Test
    void closeNotify_fromTheServer_isACleanEof() {
        assertEquals("bye\neof=true", run(serverClosesFirst()));
        assertEquals(List.of(), handled);
    }

    // ---------------------------------------------------------------- protocols

    @Async
    static Coroutine<String> protocolClient() {
        Server server = await(Coro.loop().createServer(() -> new Protocol() {
            Transport t;

            @Override
            public void connectionMade(Transport transport) {
                t = transport;
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                t.write(("echo:" + new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }
        }, "127.0.0.1", 0, serverOptions()));
        CompletableFuture<String> received = new CompletableFuture<>();
        Transport t = await(Coro.loop().createConnection(() -> new Protocol() {
            @Override
            public void dataReceived(ByteBuffer data) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                received.complete(new String(b, StandardCharsets.UTF_8));
            }
        }, "127.0.0.1", port(server), clientOptions()));
        assertTrue(!t.canWriteEof());
        t.write("hi".getBytes(StandardCharsets.UTF_8));
        String got = await(received);
        t.close();
        server.close();
        await(server.waitClosed());
        return done(got);
    }

    @Test
    void protocols_createConnectionAndCreateServer() {
        assertEquals("echo:hi", run(protocolClient()));
    }

    // ---------------------------------------------------------------- startTls

    @Async
    static Coroutine<Void> starttlsServer(StreamReader reader, StreamWriter writer) {
        byte[] hello = await(reader.readLine());
        assertEquals("STARTTLS\n", new String(hello, StandardCharsets.UTF_8));
        writer.write("GO\n");
        await(Coro.startTls(writer, serverContext));
        assertNotNull(writer.getExtraInfo("sslsession"));
        byte[] line = await(reader.readLine());
        writer.write("secret:" + new String(line, StandardCharsets.UTF_8));
        await(writer.drain());
        return done();
    }

    @Async
    static Coroutine<String> starttlsClient() {
        Server server = await(startServer(TlsTest::starttlsServer, "127.0.0.1", 0));
        Connection c = await(openConnection("127.0.0.1", port(server)));
        c.writer().write("STARTTLS\n");
        assertEquals("GO\n", new String(await(c.reader().readLine()), StandardCharsets.UTF_8));
        assertEquals(null, c.writer().getExtraInfo("sslcontext"));
        await(Coro.startTls(c.writer(), clientContext, StreamOptions.defaults().serverHostname("localhost")));
        assertSame(clientContext, c.writer().getExtraInfo("sslcontext"));
        c.writer().write("42\n");
        String got = new String(await(c.reader().readLine()), StandardCharsets.UTF_8);
        c.writer().close();
        server.close();
        await(server.waitClosed());
        return done(got);
    }

    @Test
    void startTls_upgradesALiveConnection() {
        assertEquals("secret:42\n", run(starttlsClient()));
        assertEquals(List.of(), handled);
    }

    // ---------------------------------------------------------------- the JDK's SSLSocket

    @Async
    static Coroutine<String> clientAgainstJdkServer() throws Exception {
        SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
            try (listener; SSLSocket s = (SSLSocket) listener.accept()) {
                s.setSoTimeout(10_000);
                byte[] buf = new byte[5];
                new java.io.DataInputStream(s.getInputStream()).readFully(buf);
                s.getOutputStream().write(("jdk:" + new String(buf, StandardCharsets.UTF_8) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                return "served";
            } catch (Exception e) {
                return "server failed: " + e;
            }
        });
        Connection c = await(openConnection("127.0.0.1", listener.getLocalPort(), clientOptions()));
        c.writer().write("hello");
        String got = new String(await(c.reader().readLine()), StandardCharsets.UTF_8);
        byte[] rest = await(c.reader().read()); // the JDK closes with close_notify: a clean EOF
        c.writer().close();
        return done(got + await(served) + " rest=" + rest.length);
    }

    @Test
    void jdkSslServerSocket_coroClient() throws Exception {
        assertEquals("jdk:hello\nserved rest=0", run(clientAgainstJdkServer()));
    }

    @Async
    static Coroutine<String> jdkClientAgainstCoroServer() {
        Server server = await(startServer((reader, writer) -> {
            byte[] line = await(reader.readLine());
            writer.write("coro:" + new String(line, StandardCharsets.UTF_8));
            await(writer.drain());
            return done();
        }, "127.0.0.1", 0, serverOptions()));
        int port = port(server);
        String got = await(Coro.toThread(() -> {
            try (SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                byte[] all = s.getInputStream().readAllBytes(); // up to the server's close_notify
                return new String(all, StandardCharsets.UTF_8);
            }
        }));
        server.close();
        await(server.waitClosed());
        return done(got);
    }

    @Test
    void jdkSslSocketClient_coroServer() {
        assertEquals("coro:hello\n", run(jdkClientAgainstCoroServer()));
        assertEquals(List.of(), handled);
    }

    // ---------------------------------------------------------------- bad peers

    /** Serves one good client after the bad one, to show the server goes on. */
    @Async
    static Coroutine<String> goodClient(int port) {
        Connection c = await(openConnection("127.0.0.1", port, clientOptions()));
        c.writer().write("still there?\n");
        String line = new String(await(c.reader().readLine()), StandardCharsets.UTF_8);
        c.writer().close();
        return done(line);
    }

    @Async
    static Coroutine<Void> lineEcho(StreamReader reader, StreamWriter writer) {
        byte[] line = await(reader.readLine());
        writer.write(line);
        await(writer.drain());
        return done();
    }

    @Async
    static Coroutine<String> plaintextClient() {
        Server server = await(startServer(TlsTest::lineEcho, "127.0.0.1", 0, serverOptions()));
        Connection c = await(openConnection("127.0.0.1", port(server)));
        c.writer().write("GET / HTTP/1.0\r\n\r\n");
        byte[] answer = await(c.reader().read()); // a TLS alert or nothing, then EOF
        while (await(c.reader().read()).length > 0) {
            // until the server closes
        }
        c.writer().close();
        String good = await(goodClient(port(server)));
        server.close();
        await(server.waitClosed());
        return done("answer<=7:" + (answer.length <= 7) + " " + good);
    }

    @Test
    void plaintextClient_failsThatConnectionOnly() {
        assertEquals("answer<=7:true still there?\n", run(plaintextClient()));
        assertEquals(1, handled.size(), String.valueOf(handled));
        assertEquals("SSL handshake failed", handled.get(0).get("message"));
        Throwable e = (Throwable) handled.get(0).get("exception");
        assertInstanceOf(SSLHandshakeException.class, e);
        assertTrue(e.getMessage().contains("the peer does not speak TLS"), e.getMessage());
    }

    @Async
    static Coroutine<String> stalledHandshake() throws Exception {
        // A TCP server that accepts and never says a word.
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            try {
                await(openConnection("127.0.0.1", silent.getLocalPort(),
                        clientOptions().sslHandshakeTimeout(Duration.ofMillis(300))));
                return done("connected?");
            } catch (Exception e) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms >= 250 && ms < 5000, "took " + ms + " ms");
                assertInstanceOf(SocketTimeoutException.class, e);
                return done(e.getMessage());
            }
        }
    }

    @Test
    void stalledHandshake_clientTimesOut() throws Exception {
        String message = run(stalledHandshake());
        assertTrue(message.startsWith("SSL handshake with /127.0.0.1:"), message);
        assertTrue(message.endsWith("is taking longer than 0.3 seconds: aborting the connection"), message);
    }

    @Async
    static Coroutine<String> silentClientAgainstServer() {
        Server server = await(startServer(TlsTest::lineEcho, "127.0.0.1", 0,
                serverOptions().sslHandshakeTimeout(Duration.ofMillis(300))));
        Connection c = await(openConnection("127.0.0.1", port(server))); // plain TCP, says nothing
        byte[] got = await(c.reader().read()); // the server aborts after 0.3 s
        c.writer().close();
        String good = await(goodClient(port(server)));
        server.close();
        await(server.waitClosed());
        return done(got.length + " " + good);
    }

    @Test
    void stalledHandshake_serverTimesOutAndGoesOn() {
        assertEquals("0 still there?\n", run(silentClientAgainstServer()));
        assertEquals(1, handled.size(), String.valueOf(handled));
        Throwable e = (Throwable) handled.get(0).get("exception");
        assertInstanceOf(SocketTimeoutException.class, e);
        assertTrue(e.getMessage().contains("is taking longer than 0.3 seconds"), e.getMessage());
    }

    @Async
    static Coroutine<String> untrustedBy(Certs other) throws Exception {
        Server server = await(startServer(TlsTest::lineEcho, "127.0.0.1", 0,
                StreamOptions.defaults().ssl(other.serverContext())));
        String message;
        try {
            await(openConnection("127.0.0.1", port(server), clientOptions()));
            message = "connected?";
        } catch (Exception e) {
            assertInstanceOf(SSLHandshakeException.class, e);
            message = e.getMessage();
        }
        // The server goes on: a client that trusts its certificate gets through.
        Connection c = await(openConnection("127.0.0.1", port(server),
                StreamOptions.defaults().ssl(other.clientContext())));
        c.writer().write("ok\n");
        String line = new String(await(c.reader().readLine()), StandardCharsets.UTF_8);
        c.writer().close();
        server.close();
        await(server.waitClosed());
        return done(message + "|" + line);
    }

    @Test
    void untrustedCertificate_saysSo() throws Exception {
        String got = run(untrustedBy(other));
        assertTrue(got.contains("the certificate is not trusted"), got);
        // The same name as the certificate the client trusts, another key: the JDK names the certificate.
        assertTrue(got.startsWith("TLS handshake with /127.0.0.1:"), got);
        assertTrue(got.contains("failed: the certificate is not trusted (no trusted certification path for"
                + " subject \"CN=localhost\", issuer \"CN=localhost\")"), got);
        assertTrue(got.endsWith("|ok\n"), got);
        // The server learns of it too (the client's alert).
        assertEquals(1, handled.size(), String.valueOf(handled));
    }

    /** A client context that trusts anything: to show a server still serves after a refused handshake. */
    static SSLContext trustingAnything() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    @Async
    static Coroutine<String> expired(Certs expiredCerts) throws Exception {
        Server server = await(startServer(TlsTest::lineEcho, "127.0.0.1", 0,
                StreamOptions.defaults().ssl(expiredCerts.serverContext())));
        String message;
        try {
            await(openConnection("127.0.0.1", port(server), StreamOptions.defaults().ssl(expiredCerts.clientContext())));
            message = "connected?";
        } catch (Exception e) {
            assertInstanceOf(SSLHandshakeException.class, e);
            message = e.getMessage();
        }
        // The server goes on: a client that does not check dates gets through.
        Connection c = await(openConnection("127.0.0.1", port(server), StreamOptions.defaults().ssl(trustingAnything())));
        c.writer().write("ok\n");
        String line = new String(await(c.reader().readLine()), StandardCharsets.UTF_8);
        c.writer().close();
        server.close();
        await(server.waitClosed());
        return done(message + "|" + line);
    }

    @Test
    void expiredCertificate_saysExpiredAndWhen() throws Exception {
        // Signed by a CA the client trusts, valid for 30 days from a year ago.
        Certs expiredCerts = Certs.signedByCa(dir, "expired", "-startdate", "-365d", "-validity", "30");
        String notAfter = java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                ((X509Certificate) expiredCerts.leaf()).getNotAfter().toInstant());
        String got = run(expired(expiredCerts));
        assertTrue(got.startsWith("TLS handshake with /127.0.0.1:"), got);
        assertTrue(got.contains("failed: the certificate has expired on " + notAfter
                + " (subject \"CN=localhost\", issuer \"CN=Coro Test CA expired\")"), got);
        assertTrue(got.endsWith("|ok\n"), got);
        assertEquals(1, handled.size(), String.valueOf(handled)); // the server learns of the client's alert
    }

    @Test
    void untrustedCertificate_unknownIssuer_saysSo() throws Exception {
        // Signed by a CA nobody trusts: the JDK finds no path and does not say which certificate.
        Certs unknownCa = Certs.signedByCa(dir, "unknown", "-validity", "2");
        String got = run(untrustedBy(unknownCa));
        assertTrue(got.startsWith("TLS handshake with /127.0.0.1:"), got);
        assertTrue(got.contains("failed: the certificate is not trusted (no trusted certification path;"
                + " the JDK does not say for which certificate: is its issuer in the client's trust store?)"), got);
        assertTrue(got.endsWith("|ok\n"), got);
    }

    @Async
    static Coroutine<String> wrongHostName() {
        Server server = await(startServer(TlsTest::lineEcho, "127.0.0.1", 0, serverOptions()));
        String message;
        try {
            await(openConnection("127.0.0.1", port(server), clientOptions().serverHostname("example.org")));
            message = "connected?";
        } catch (Exception e) {
            message = e.getMessage();
        }
        server.close();
        await(server.waitClosed());
        return done(message);
    }

    @Test
    void wrongHostName_saysSo() {
        String got = run(wrongHostName());
        assertTrue(got.contains("the certificate does not match the host name"), got);
    }

    static Coroutine<String> truncation() {
        return truncation(serverOptions());
    }

    @Async
    static Coroutine<String> truncation(StreamOptions options) {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        Server server = await(startServer((reader, writer) -> {
            try {
                byte[] first = await(reader.readLine());
                if (new String(first, StandardCharsets.UTF_8).equals("still there?\n")) {
                    writer.write(first); // the good client after the bad one
                    await(writer.drain());
                    return done();
                }
                byte[] more = await(reader.read());
                serverSaw.complete("read " + new String(first, StandardCharsets.UTF_8).trim() + " then " + more.length
                        + " eof=" + reader.atEof());
            } catch (Exception e) {
                serverSaw.complete(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return done();
        }, "127.0.0.1", 0, options));
        Connection c = await(openConnection("127.0.0.1", port(server), clientOptions()));
        c.writer().write("partial\n");
        await(c.writer().drain());
        await(Coro.sleep(Duration.ofMillis(50)));
        c.writer().transport().abort(); // TCP close, no close_notify
        String saw = await(serverSaw);
        String good = await(goodClient(port(server)));
        server.close();
        await(server.waitClosed());
        return done(saw + "|" + good);
    }

    @Test
    void peerClosesWithoutCloseNotify_isAnException() {
        String got = run(truncation());
        assertTrue(got.startsWith("SSLException: The peer closed the connection with /127.0.0.1:"), got);
        assertTrue(got.contains("without sending TLS close_notify"), got);
        assertTrue(got.endsWith("|still there?\n"), got);
    }

    @Test
    void peerClosesWithoutCloseNotify_messageSaysWhatToDo() {
        String got = run(truncation());
        assertTrue(got.contains("the data may be truncated. If this peer closes that way and the protocol says where"
                + " the data ends, read it as EOF, as asyncio does: StreamOptions.sslSuppressRaggedEofs(true)"), got);
    }

    @Test
    void peerClosesWithoutCloseNotify_suppressed_isAPlainEofAsInAsyncio() {
        // asyncio 3.13 (sslproto.py, eof_received in WRAPPED): the data, then b"" and at_eof() True, no error.
        String got = run(truncation(serverOptions().sslSuppressRaggedEofs(true)));
        assertEquals("read partial then 0 eof=true|still there?\n", got);
        assertEquals(List.of(), handled);
    }

    @Async
    static Coroutine<String> raggedEofWhileReadingPaused() {
        CompletableFuture<String> serverSaw = new CompletableFuture<>();
        Server server = await(startServer((reader, writer) -> {
            try {
                writer.write("go\n");
                await(writer.drain());
                await(Coro.sleep(Duration.ofMillis(200))); // the client's data piles up: reading pauses
                long total = 0;
                byte[] chunk;
                while ((chunk = await(reader.read(8192))).length > 0) {
                    total += chunk.length;
                }
                serverSaw.complete(total + " bytes eof=" + reader.atEof());
            } catch (Exception e) {
                serverSaw.complete(e.toString());
            }
            return done();
        }, "127.0.0.1", 0, serverOptions().sslSuppressRaggedEofs(true).limit(4096)));
        int port = port(server);
        int sent = await(Coro.toThread(() -> {
            // TLS over a plain socket that is then half-closed under it: a TCP FIN with no close_notify.
            try (Socket plain = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                plain.setSoTimeout(10_000);
                SSLSocket tls = (SSLSocket) clientContext.getSocketFactory().createSocket(plain, "localhost", port,
                        /* autoClose = */ false);
                InputStream in = tls.getInputStream();
                byte[] go = new byte[3];
                new java.io.DataInputStream(in).readFully(go); // also reads the session tickets before it
                byte[] data = new byte[256 * 1024];
                Arrays.fill(data, (byte) 'z');
                OutputStream out = tls.getOutputStream();
                out.write(data);
                out.flush();
                plain.shutdownOutput();
                return data.length;
            }
        }));
        String saw = await(serverSaw);
        server.close();
        await(server.waitClosed());
        return done("sent " + sent + ", server read " + saw);
    }

    /**
     * Reading pauses and resumes many times (limit 4 KiB, 256 KiB sent) before the FIN: every byte
     * comes before the EOF. (The socket transport reads no EOF while paused, so the branch for an
     * EOF that arrives while the application's reading is paused is not reached here.)
     */
    @Test
    void peerClosesWithoutCloseNotify_suppressed_afterPausedReading_allDataThenEof() {
        assertEquals("sent 262144, server read 262144 bytes eof=true", run(raggedEofWhileReadingPaused()));
        assertEquals(List.of(), handled);
    }
}
