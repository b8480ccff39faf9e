package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.io.Connection;
import dev.coro.io.StreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The client session of the HTTP servers' demo, on one keep-alive connection: one request, three
 * pipelined in one write, one split across two writes, and a last one with
 * {@code Connection: close}.
 */
final class HttpClientDemo {
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    private HttpClientDemo() {
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Runs the session, printing one line per response.
     *
     * @param port the server's port on 127.0.0.1
     * @return the session
     */
    @Async
    static Coroutine<Void> run(int port) {
        Connection connection = await(openConnection("127.0.0.1", port));
        connection.writer().write(get("/"));
        await(readResponse(connection.reader(), "one request"));

        String pipelined = "GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(3);
        connection.writer().write(pipelined.getBytes(StandardCharsets.US_ASCII));
        for (int i = 1; i <= 3; i++) {
            await(readResponse(connection.reader(), "pipelined " + i + "/3"));
        }

        byte[] request = get("/split");
        connection.writer().write(java.util.Arrays.copyOfRange(request, 0, 10));
        await(sleep(Duration.ofMillis(20))); // the server sees the first part alone
        connection.writer().write(java.util.Arrays.copyOfRange(request, 10, request.length));
        await(readResponse(connection.reader(), "split in two writes"));

        connection.writer().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        await(readResponse(connection.reader(), "Connection: close"));
        byte[] rest = await(connection.reader().read());
        System.out.println("then the server closed the connection: " + (rest.length == 0 && connection.reader().atEof()));
        connection.writer().close();
        await(connection.writer().waitClosed());
        return done();
    }

    /**
     * Reads one response and prints its status line, headers (but Date) and body on one line.
     *
     * @param reader the connection's reader
     * @param label what the request was
     * @return the body
     */
    @Async
    static Coroutine<String> readResponse(StreamReader reader, String label) {
        String head = new String(await(reader.readUntil(END_OF_HEAD)), StandardCharsets.US_ASCII);
        int contentLength = 0;
        StringBuilder shown = new StringBuilder();
        for (String line : head.strip().split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).strip());
            }
            if (!lower.startsWith("date:")) {
                shown.append(shown.length() == 0 ? "" : " | ").append(line);
            }
        }
        String body = new String(await(reader.readExactly(contentLength)), StandardCharsets.US_ASCII);
        System.out.printf("%-20s %s | %s%n", label + ":", shown, body);
        return done(body);
    }
}
