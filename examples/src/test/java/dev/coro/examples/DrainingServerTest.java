package dev.coro.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link DrainingServer} in a child JVM that gets a real SIGTERM ({@code kill -TERM}); the test
 * is its clients, on loopback, and reads what it printed and how it exited. Every wait is bounded.
 */
@Timeout(60)
class DrainingServerTest {
    static final long WAIT_SECONDS = 20;

    /** The example in a child JVM ({@code Examples drain ...}), its output line by line. */
    static final class Child implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Child(String... options) throws Exception {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            String classpath = location(DrainingServer.class) + File.pathSeparator + location(dev.coro.EventLoop.class);
            List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, Examples.class.getName(), "drain"));
            command.addAll(List.of(options));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the child is gone
                }
            }, "child output");
            pump.setDaemon(true);
            pump.start();
        }

        private static String location(Class<?> c) throws Exception {
            return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        }

        String waitFor(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() - deadline < 0) {
                String l = lines.poll(50, TimeUnit.MILLISECONDS);
                if (l != null) {
                    seen.add(l);
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            throw new AssertionError("the child never printed " + prefix + " within " + WAIT_SECONDS + " s; it printed " + seen);
        }

        private int port;

        /** @return the port the child printed (waits for it the first time) */
        int port() throws InterruptedException {
            if (port == 0) {
                String prefix = "draining server on 127.0.0.1:";
                String line = waitFor(prefix);
                port = Integer.parseInt(line.substring(prefix.length(), line.indexOf(' ', prefix.length())));
            }
            return port;
        }

        void sigterm() throws Exception {
            Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
            assertEquals(0, kill.waitFor());
        }

        /** @return every line printed, once the child has exited (bounded) with {@code code} */
        List<String> exit(int code) throws InterruptedException {
            assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "the child did not exit; it printed " + seen);
            String l;
            while ((l = lines.poll(200, TimeUnit.MILLISECONDS)) != null) {
                seen.add(l);
            }
            assertEquals(code, process.exitValue(), String.valueOf(seen));
            return seen;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        return socket;
    }

    static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void testSigterm_stopsAcceptingTellsClientsWaitsForThemAndExits() throws Exception {
        try (Child child = new Child("--port", "0", "--grace", "10");
             Socket busy = connect(child.port());
             Socket idle = connect(child.port())) {
            BufferedReader busyIn = reader(busy);
            BufferedReader idleIn = reader(idle);
            assertEquals("welcome: one request a line", busyIn.readLine());
            assertEquals("welcome: one request a line", idleIn.readLine());
            busy.getOutputStream().write("job 1\n".getBytes(StandardCharsets.UTF_8));
            busy.getOutputStream().flush();
            child.sigterm();
            assertEquals("SIGTERM: no longer accepting; telling 2 clients", child.waitFor("SIGTERM"));
            // Told, the idle client leaves; the busy one gets its answer first (either order on the wire).
            assertEquals(DrainingServer.SHUTTING_DOWN, idleIn.readLine());
            idle.close();
            List<String> busyGot = new ArrayList<>(List.of(busyIn.readLine(), busyIn.readLine()));
            busyGot.sort(null);
            assertEquals(List.of("done job 1", DrainingServer.SHUTTING_DOWN), busyGot);
            // No new connections once draining.
            assertThrows(ConnectException.class, () -> connect(child.port()));
            busy.close();
            List<String> out = child.exit(0);
            assertEquals(2, out.stream().filter(l -> l.startsWith("client /127.0.0.1:") && l.endsWith(" left")).count(),
                    String.valueOf(out));
            assertTrue(out.contains("drained: 2 finished, 0 cut off"), String.valueOf(out));
        }
    }

    @Test
    void testSigterm_aClientThatStaysIsCutOffAfterTheGracePeriod() throws Exception {
        try (Child child = new Child("--port", "0", "--grace", "0.5");
             Socket stubborn = connect(child.port())) {
            BufferedReader in = reader(stubborn);
            assertEquals("welcome: one request a line", in.readLine());
            child.sigterm();
            assertEquals(DrainingServer.SHUTTING_DOWN, in.readLine());
            // It does not leave: after 0.5 s the server aborts the connection and exits.
            List<String> out = child.exit(0);
            assertTrue(out.contains("drained: 0 finished, 1 cut off"), String.valueOf(out));
            try {
                assertEquals(null, in.readLine());
            } catch (java.net.SocketException reset) {
                // abort() may reset the connection: as good as EOF here
            }
        }
    }

    @Test
    void testDemo_sendsItselfSigtermAndDrainsBothClients() throws Exception {
        try (Child child = new Child()) {
            List<String> out = child.exit(0);
            assertTrue(out.contains("SIGTERM: no longer accepting; telling 2 clients"), String.valueOf(out));
            assertTrue(out.contains("demo: busy client got [" + DrainingServer.SHUTTING_DOWN + ", done report], disconnects")
                    || out.contains("demo: busy client got [done report, " + DrainingServer.SHUTTING_DOWN + "], disconnects"),
                    String.valueOf(out));
            assertTrue(out.contains("demo: idle client got [" + DrainingServer.SHUTTING_DOWN + "], disconnects"), String.valueOf(out));
            assertTrue(out.contains("drained: 2 finished, 0 cut off"), String.valueOf(out));
        }
    }
}
