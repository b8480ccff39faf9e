package dev.coro.bench.io;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The plaintext server on the JDK's {@code com.sun.net.httpserver.HttpServer} with a
 * virtual-thread-per-task executor (JDK 21+; reached by reflection, this module compiles for 17).
 * The server's own dispatcher thread accepts and parses; each exchange runs on a virtual thread. It
 * adds the {@code Date} header itself; the handler sets {@code Server} and {@code Content-Type},
 * {@code sendResponseHeaders} the {@code Content-Length}.
 */
final class JdkHttpServer {
    private JdkHttpServer() {
    }

    static void serve(int port) throws Exception {
        ExecutorService executor;
        try {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("virtual threads need JDK 21+; this is " + Runtime.version(), e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(executor);
        byte[] body = PlaintextResponse.BODY_BYTES;
        server.createContext("/", (HttpExchange exchange) -> {
            try (InputStream request = exchange.getRequestBody()) {
                request.readAllBytes();
            }
            Headers headers = exchange.getResponseHeaders();
            headers.set("Server", "jdk");
            headers.set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(body);
            } catch (IOException e) {
                exchange.close();
            }
        });
        server.start();
        System.out.println("JDK HttpServer plaintext server on 127.0.0.1:" + port + ", virtual-thread executor");
    }
}
