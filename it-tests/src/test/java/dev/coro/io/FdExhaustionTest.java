package dev.coro.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * Running out of file descriptors: a server in a child JVM under {@code ulimit -n 256} is
 * flooded with connections. Accepting backs off (asyncio pauses for a second), the exception
 * handler hears of it once, and the server serves again when descriptors are free.
 */
@Timeout(90)
class FdExhaustionTest {
    @Test
    void outOfFileDescriptors_acceptBacksOff_logsOnce_andRecovers() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        // The child needs only the runtime and this class (no rewriting: it uses a protocol).
        String classpath = location(FdExhaustionServer.class) + File.pathSeparator + location(dev.coro.EventLoop.class);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c",
                "ulimit -n 256 && exec \"$0\" -cp \"$1\" dev.coro.io.FdExhaustionServer", java, classpath);
        pb.redirectErrorStream(true);
        Process child = pb.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
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
        List<Socket> flood = new ArrayList<>();
        List<String> handlerLines = new ArrayList<>();
        try {
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertTrue(first != null && first.startsWith("PORT "), "child said: " + first);
            int port = Integer.parseInt(first.substring(5).trim());
            // More connections than the child has descriptors for.
            for (int i = 0; i < 400 && handlerLines.isEmpty(); i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    flood.add(s);
                } catch (IOException e) {
                    s.close(); // the accept queue is full while the server backs off
                }
                drain(lines, handlerLines);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (handlerLines.isEmpty() && System.nanoTime() < deadline) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l != null && l.startsWith("HANDLER")) {
                    handlerLines.add(l);
                }
            }
            assertEquals(1, handlerLines.size(), "the back-off was reported: " + handlerLines);
            assertTrue(handlerLines.get(0).contains("socket.accept() out of system resource"), handlerLines.get(0));
            // Free the descriptors before the one-second pause ends.
            for (Socket s : flood) {
                s.close();
            }
            flood.clear();
            // The server accepts again after its pause, and serves.
            String echoed = null;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (echoed == null && System.nanoTime() < deadline) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                    s.setSoTimeout(3000);
                    s.getOutputStream().write("ping".getBytes());
                    byte[] back = s.getInputStream().readNBytes(4);
                    echoed = new String(back, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals("ping", echoed);
            Thread.sleep(200);
            drain(lines, handlerLines);
            assertEquals(1, handlerLines.size(), "reported once: " + handlerLines);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String location(Class<?> c) throws Exception {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }

    private static void drain(LinkedBlockingQueue<String> lines, List<String> handlerLines) {
        String l;
        while ((l = lines.poll()) != null) {
            if (l.startsWith("HANDLER")) {
                handlerLines.add(l);
            }
        }
    }
}
