package dev.coro.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local HTTP server whose one endpoint, {@code /slow?ms=N&id=X}, answers {@code X} after N
 * milliseconds: a stand-in for a slow remote service. It listens on the loopback address only,
 * on a free port, with one thread per request so that slow requests overlap.
 */
final class SlowServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService handlers;

    private SlowServer(HttpServer server, ExecutorService handlers) {
        this.server = server;
        this.handlers = handlers;
    }

    /**
     * Starts a server on {@code 127.0.0.1} and a free port.
     *
     * @return the running server
     * @throws IOException if no port can be bound
     */
    static SlowServer start() throws IOException {
        // The JDK server writes headers and body separately; without TCP_NODELAY each answer waits
        // ~40 ms for a delayed ACK. Read once, when the first server starts, so set it before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        ExecutorService handlers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "slow-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(handlers);
        server.createContext("/slow", exchange -> {
            String id = "";
            long millis = 0;
            String query = exchange.getRequestURI().getQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("ms=")) {
                        millis = Long.parseLong(pair.substring(3));
                    } else if (pair.startsWith("id=")) {
                        id = pair.substring(3);
                    }
                }
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.close();
                return;
            }
            byte[] body = id.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new SlowServer(server, handlers);
    }

    /**
     * @param millis how long the server waits before it answers
     * @param id what it answers
     * @return the address of that request
     */
    URI slow(long millis, Object id) {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/slow?ms=" + millis + "&id=" + id);
    }

    /** Stops the server and interrupts requests still being served. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
