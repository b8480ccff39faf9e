package dev.coro.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real signals sent to a child JVM ({@link SignalChild}); the test reads what its finally blocks
 * printed and how it exited.
 */
@Timeout(120)
class SignalTest {

    /** A child JVM and its output, line by line. */
    static final class Child implements AutoCloseable {
        final Process process;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Child(String mode) throws Exception {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> command = new ArrayList<>(List.of(java));
            // Not rewritten at build time (a quick run): pass the agent along.
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-javaagent:")) {
                    command.add(arg);
                }
            }
            String classpath = location(SignalChild.class) + File.pathSeparator + location(dev.coro.EventLoop.class);
            command.addAll(List.of("-cp", classpath, SignalChild.class.getName(), mode));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.redirectErrorStream(true);
            process = pb.start();
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
            });
            pump.setDaemon(true);
            pump.start();
        }

        private static String location(Class<?> c) throws Exception {
            return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        }

        String waitFor(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null) {
                    seen.add(l);
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            throw new AssertionError("the child never printed " + prefix + "; it printed " + seen);
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            assertEquals(0, kill.waitFor());
        }

        int exit() throws Exception {
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child exits");
            Thread.sleep(100);
            lines.drainTo(seen);
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void firstCtrlC_cancelsTheMainTask_finallyBlocksRun_exit130() throws Exception {
        try (Child child = new Child("sigint")) {
            child.waitFor("READY");
            Thread.sleep(200);
            child.signal("INT");
            assertEquals(130, child.exit(), "exits as an interrupted JVM does: " + child.seen);
            assertTrue(child.seen.contains("main finally"), child.seen.toString());
            assertTrue(child.seen.contains("worker finally"), "Coro.run cancelled the other tasks: " + child.seen);
        }
    }

    @Test
    void ctrlC_inASecondRun_cancelsItsMainTask() throws Exception {
        try (Child child = new Child("second-run")) {
            child.waitFor("READY");
            Thread.sleep(200);
            child.signal("INT");
            assertEquals(130, child.exit(), child.seen.toString());
            assertTrue(child.seen.contains("main finally"), child.seen.toString());
            assertTrue(child.seen.contains("worker finally"), child.seen.toString());
        }
    }

    @Test
    void ctrlC_betweenRuns_isTheJvmDefault() throws Exception {
        try (Child child = new Child("between-runs")) {
            child.waitFor("READY");
            Thread.sleep(200);
            child.signal("INT");
            assertEquals(130, child.exit(), child.seen.toString());
            assertFalse(child.seen.contains("not interrupted"), child.seen.toString());
        }
    }

    @Test
    void secondCtrlC_exitsAtOnce() throws Exception {
        try (Child child = new Child("stuck")) {
            child.waitFor("READY");
            Thread.sleep(200);
            child.signal("INT");
            child.waitFor("cleanup started");
            child.signal("INT");
            assertEquals(130, child.exit());
            assertFalse(child.seen.contains("cleanup finished"), child.seen.toString());
        }
    }

    @Test
    void sigtermHandler_serverDrainsItsClients() throws Exception {
        try (Child child = new Child("drain")) {
            int port = Integer.parseInt(child.waitFor("PORT ").substring(5).trim());
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                client.setSoTimeout(20_000);
                client.getOutputStream().write("one\n".getBytes(StandardCharsets.UTF_8));
                child.waitFor("request one");
                child.signal("TERM");
                child.waitFor("SIGTERM");
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("done one", in.readLine(), "the client being served got its answer");
            }
            child.waitFor("drained");
            assertEquals(0, child.exit(), child.seen.toString());
            assertTrue(child.seen.contains("exit normally"), child.seen.toString());
        }
    }
}
