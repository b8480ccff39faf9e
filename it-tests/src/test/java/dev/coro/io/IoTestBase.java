package dev.coro.io;

import dev.coro.Coroutine;
import dev.coro.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shared by the I/O tests: a fresh real-time loop per run whose exception handler records what
 * it is given, so a test can assert that the server reported (or did not report) an error.
 */
abstract class IoTestBase {
    /** What the loop's exception handler received during the last {@link #run}. */
    final List<Map<String, Object>> handled = new ArrayList<>();

    <T> T run(Coroutine<T> main) {
        try (EventLoop loop = EventLoop.create()) {
            loop.setExceptionHandler((l, context) -> handled.add(context));
            return loop.runUntilComplete(main);
        }
    }

    static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }

    static SocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** @return the number of open file descriptors of this process */
    static int openFds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    /**
     * @return each open descriptor of this process with what it points to
     *     ({@code socket:[123]}, {@code pipe:[45]}, {@code anon_inode:[eventpoll]}, a file path);
     *     a descriptor closed while the directory is read is left out
     */
    static Map<String, String> openFdTargets() throws IOException {
        Map<String, String> targets = new java.util.TreeMap<>();
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    targets.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // the descriptor that listed the directory, or one closed since
                }
            }
        }
        return targets;
    }

    /**
     * @param before what {@link #openFdTargets()} returned earlier
     * @return the descriptors of the kinds Coro opens (sockets, pipes, epoll and eventfd
     *     {@code anon_inode}s) that are open now and were not, or pointed elsewhere, in
     *     {@code before}; other descriptors (a file another JVM thread holds open for a moment)
     *     are not Coro's and are left out
     */
    static Map<String, String> coroDescriptorsOpenedSince(Map<String, String> before) throws IOException {
        Map<String, String> added = openFdTargets();
        added.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey()))
                || !(e.getValue().startsWith("socket:") || e.getValue().startsWith("pipe:")
                        || e.getValue().startsWith("anon_inode:")));
        return added;
    }

    List<String> handledMessages() {
        List<String> messages = new ArrayList<>();
        for (Map<String, Object> c : handled) {
            messages.add(String.valueOf(c.get("message")));
        }
        return messages;
    }
}
