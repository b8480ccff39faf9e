package dev.coro.tls;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.startServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS against Debian's {@code openssl} (not the JDK on the other side): a Coro client against
 * {@code openssl s_server}, {@code openssl s_client} against a Coro server, on 127.0.0.1 with
 * ephemeral ports: handshake, data both ways, close_notify both ways (read off openssl's
 * {@code -msg} trace), ALPN and SNI. Skipped, saying why, where {@code openssl} is not installed.
 */
@Timeout(30)
class OpensslTest {
    /** How long any one wait for openssl may take. */
    static final long WAIT_SECONDS = 15;

    @TempDir
    static Path dir;
    static Certs certs;
    static Path pem;

    final List<Map<String, Object>> handled = new ArrayList<>();

    static final boolean HAS_OPENSSL = Certs.hasOpenssl();

    @BeforeAll
    static void makeCertificates() throws Exception {
        if (HAS_OPENSSL) {
            certs = Certs.make(dir, "openssl-peer");
            pem = certs.pem();
        }
    }

    /** Each test is reported as skipped, with the reason, where openssl is missing. */
    @BeforeEach
    void needOpenssl() {
        Assumptions.assumeTrue(HAS_OPENSSL,
                "openssl is not on the PATH: these tests need Debian's openssl (apt-get install openssl; .ci/run installs it)");
    }

    <T> T run(Coroutine<T> main) {
        try (EventLoop loop = EventLoop.create()) {
            loop.setExceptionHandler((l, context) -> handled.add(context));
            return loop.runUntilComplete(main);
        }
    }

    /** An openssl process, its output (stdout and stderr) line by line. */
    static final class Openssl implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Openssl(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("openssl"));
            command.addAll(List.of(args));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            }, "openssl output");
            pump.setDaemon(true);
            pump.start();
        }

        /** @return the first line (from here on) that contains {@code text}; fails after WAIT_SECONDS */
        String waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() - deadline < 0) {
                String l = lines.poll(50, TimeUnit.MILLISECONDS);
                if (l != null) {
                    seen.add(l);
                    if (l.contains(text)) {
                        return l;
                    }
                }
            }
            throw new AssertionError("openssl never printed \"" + text + "\" within " + WAIT_SECONDS
                    + " s; its last lines: " + seen.subList(Math.max(0, seen.size() - 30), seen.size()));
        }

        /** Waits (bounded) for the process to exit, then returns everything it printed. */
        List<String> exit() throws InterruptedException {
            assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "openssl did not exit within " + WAIT_SECONDS
                    + " s; its last lines: " + seen.subList(Math.max(0, seen.size() - 30), seen.size()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            // the pump may still hold the last lines
            while (process.getInputStream() != null && System.nanoTime() - deadline < 0) {
                String l = lines.poll(50, TimeUnit.MILLISECONDS);
                if (l == null) {
                    break;
                }
                seen.add(l);
            }
            return seen;
        }

        void send(String text) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write(text.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- Coro client, openssl s_server

    @Async
    static Coroutine<List<String>> clientAgainstSServer(int port) throws Exception {
        List<String> got = new ArrayList<>();
        StreamOptions options = StreamOptions.defaults().ssl(certs.clientContext())
                .serverHostname("localhost").alpnProtocols("http/1.1");
        // 1: data both ways, then our close_notify.
        Connection c = await(openConnection("127.0.0.1", port, options));
        got.add("alpn=" + c.writer().getExtraInfo("alpn_protocol"));
        got.add("protocol=" + ((SSLSession) c.writer().getExtraInfo("sslsession")).getProtocol());
        c.writer().write("hello openssl\n");
        got.add(new String(await(c.reader().readLine()), StandardCharsets.UTF_8).trim());
        c.writer().close();
        await(c.writer().waitClosed());
        // 2: s_server's -rev mode shuts TLS down on "CLOSE": its close_notify is a clean EOF here.
        Connection d = await(openConnection("127.0.0.1", port, options));
        d.writer().write("CLOSE\n");
        byte[] rest = await(d.reader().read());
        while (rest.length > 0) {
            got.add("more: " + new String(rest, StandardCharsets.UTF_8).trim());
            rest = await(d.reader().read());
        }
        got.add("eof=" + d.reader().atEof());
        d.writer().close();
        await(d.writer().waitClosed());
        return done(got);
    }

    static Openssl sServer(String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("s_server", "-4", "-accept", "127.0.0.1:0", "-cert", pem.toString(),
                "-key", pem.toString(), "-rev", "-msg"));
        args.addAll(List.of(more));
        return new Openssl(args.toArray(String[]::new));
    }

    static int port(Openssl server) throws InterruptedException {
        String accept = server.waitFor("ACCEPT ");
        return Integer.parseInt(accept.substring(accept.lastIndexOf(':') + 1).trim());
    }

    @Test
    void coroClient_opensslServer() throws Exception {
        try (Openssl server = sServer("-alpn", "h2,http/1.1", "-naccept", "2")) {
            List<String> got = run(clientAgainstSServer(port(server)));
            assertEquals(List.of("alpn=http/1.1", "protocol=TLSv1.3", "lssnepo olleh", "eof=true"), got);
            List<String> trace = server.exit();
            String all = String.join("\n", trace);
            assertTrue(all.contains("ALPN protocols selected: http/1.1"), all);
            // openssl received our close_notify (connection 1) and sent its own (connection 2).
            assertTrue(trace.stream().anyMatch(l -> l.startsWith("<<<") && l.contains("close_notify")), all);
            assertTrue(trace.stream().anyMatch(l -> l.startsWith(">>>") && l.contains("close_notify")), all);
        }
        assertEquals(List.of(), handled);
    }

    @Async
    static Coroutine<String> sniClient(int port) throws Exception {
        Connection c = await(openConnection("127.0.0.1", port,
                StreamOptions.defaults().ssl(certs.clientContext()).serverHostname("localhost")));
        c.writer().write("sni\n");
        String got = new String(await(c.reader().readLine()), StandardCharsets.UTF_8).trim();
        c.writer().close();
        await(c.writer().waitClosed());
        return done(got);
    }

    @Test
    void coroClient_sendsSni() throws Exception {
        // -servername: s_server reads the SNI extension, prints it, and answers from -cert2's context.
        try (Openssl server = sServer("-servername", "localhost", "-servername_fatal",
                "-cert2", pem.toString(), "-key2", pem.toString(), "-naccept", "1")) {
            assertEquals("ins", run(sniClient(port(server))));
            String all = String.join("\n", server.exit());
            assertTrue(all.contains("Hostname in TLS extension: \"localhost\""), all);
            assertTrue(all.contains("Switching server context."), all);
        }
        assertEquals(List.of(), handled);
    }

    // ---------------------------------------------------------------- openssl s_client, Coro server

    /**
     * Says what it saw of TLS, then echoes lines until a clean EOF (the client's close_notify),
     * or answers "bye" by closing first (our close_notify).
     */
    @Async
    static Coroutine<Void> serve(StreamReader reader, StreamWriter writer, CompletableFuture<String> ended) {
        try {
            SSLSession session = (SSLSession) writer.getExtraInfo("sslsession");
            List<String> names = new ArrayList<>();
            for (var n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                names.add(((SNIHostName) n).getAsciiName());
            }
            writer.write("sni=" + names + " alpn=" + writer.getExtraInfo("alpn_protocol")
                    + " " + session.getProtocol() + "\n");
            byte[] line;
            while ((line = await(reader.readLine())).length > 0) {
                if (new String(line, StandardCharsets.UTF_8).equals("bye\n")) {
                    writer.write("bye!\n");
                    writer.close();
                    ended.complete("closed first");
                    return done();
                }
                writer.write("coro:" + new String(line, StandardCharsets.UTF_8));
                await(writer.drain());
            }
            ended.complete("clean eof=" + reader.atEof());
        } catch (Exception e) {
            ended.complete(e.toString());
        }
        return done();
    }

    static String[] sClient(int port) {
        return new String[] {"s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
            "-alpn", "h2", "-CAfile", pem.toString(), "-verify_return_error", "-msg"};
    }

    @Async
    static Coroutine<List<String>> sClientAgainstCoro() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> second = new CompletableFuture<>();
        Server server = await(startServer((reader, writer) -> serve(reader, writer, first.isDone() ? second : first),
                "127.0.0.1", 0, StreamOptions.defaults().ssl(certs.serverContext()).alpnProtocols("h2", "http/1.1")));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        List<String> got = new ArrayList<>();
        // 1: data both ways; then s_client's close_notify (stdin's EOF) is a clean EOF here.
        List<String> trace1 = await(Coro.toThread(() -> {
            try (Openssl client = new Openssl(sClient(port))) {
                got.add(client.waitFor("ALPN protocol:").trim());
                got.add(client.waitFor("Verify return code:").trim());
                got.add(client.waitFor("sni="));
                client.send("hello coro\n");
                got.add(client.waitFor("coro:"));
                client.process.getOutputStream().close();
                return client.exit();
            }
        }));
        got.add(await(first));
        // 2: the server closes first: s_client reads our close_notify and exits on its own.
        List<String> trace2 = await(Coro.toThread(() -> {
            try (Openssl client = new Openssl(sClient(port))) {
                client.waitFor("sni=");
                client.send("bye\n");
                got.add(client.waitFor("bye!"));
                return client.exit(); // stdin still open: it ends because of our close_notify
            }
        }));
        got.add(await(second));
        server.close();
        await(server.waitClosed());
        String all1 = String.join("\n", trace1);
        assertTrue(trace1.stream().anyMatch(l -> l.startsWith(">>>") && l.contains("close_notify")), all1);
        String all2 = String.join("\n", trace2);
        assertTrue(trace2.stream().anyMatch(l -> l.startsWith("<<<") && l.contains("close_notify")), all2);
        return done(got);
    }

    @Test
    void opensslClient_coroServer() throws Exception {
        List<String> got = run(sClientAgainstCoro());
        assertEquals(List.of("ALPN protocol: h2", "Verify return code: 0 (ok)", "sni=[localhost] alpn=h2 TLSv1.3",
                "coro:hello coro", "clean eof=true", "bye!", "closed first"), got);
        assertEquals(List.of(), handled);
    }
}
