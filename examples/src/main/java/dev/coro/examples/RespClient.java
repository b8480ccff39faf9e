package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.io.Connection;
import dev.coro.io.StreamReader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RESP client on streams, for the mini-redis demo and tests: commands go out as arrays
 * of bulk strings, replies come back as {@code String} (simple and bulk strings), {@code Long},
 * {@code null}, {@code List} or {@link Error}.
 */
final class RespClient {
    /** An error reply ({@code -ERR ...}). */
    record Error(String message) {
        @Override
        public String toString() {
            return "(error) " + message;
        }
    }

    private final Connection connection;

    private RespClient(Connection connection) {
        this.connection = connection;
    }

    /**
     * @param port the server's port on 127.0.0.1
     * @return the coroutine of a connected client
     */
    @Async
    static Coroutine<RespClient> connect(int port) {
        return done(new RespClient(await(openConnection("127.0.0.1", port))));
    }

    /**
     * Encodes a command as RESP.
     *
     * @param args the command and its arguments
     * @return the bytes
     */
    static byte[] encode(String... args) {
        StringBuilder text = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            text.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param args the command
     * @return the coroutine of the reply
     */
    @Async
    Coroutine<Object> call(String... args) {
        send(args);
        return done(await(read()));
    }

    /**
     * Sends a command without reading the reply (for pipelining, and for {@code SUBSCRIBE}).
     *
     * @param args the command
     */
    void send(String... args) {
        connection.writer().write(encode(args));
    }

    /**
     * Sends raw bytes.
     *
     * @param bytes the bytes
     */
    void sendRaw(byte[] bytes) {
        connection.writer().write(bytes);
    }

    /**
     * @return the coroutine of the next reply
     */
    Coroutine<Object> read() {
        return read(connection.reader());
    }

    @Async
    private static Coroutine<Object> read(StreamReader reader) {
        byte[] line = await(reader.readUntil(new byte[] {'\r', '\n'}));
        String text = new String(line, 1, line.length - 3, StandardCharsets.UTF_8);
        switch (line[0]) {
            case '+':
                return done(text);
            case '-':
                return done(new Error(text));
            case ':':
                return done(Long.parseLong(text));
            case '$': {
                int length = Integer.parseInt(text);
                if (length < 0) {
                    return done(null);
                }
                byte[] bulk = await(reader.readExactly(length + 2));
                return done(new String(bulk, 0, length, StandardCharsets.UTF_8));
            }
            case '*': {
                int count = Integer.parseInt(text);
                if (count < 0) {
                    return done(null);
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(await(read(reader)));
                }
                return done(items);
            }
            default:
                throw new IllegalStateException("Not a RESP reply: " + new String(line, StandardCharsets.UTF_8));
        }
    }

    /** Closes the connection and waits until it is closed. */
    @Async
    Coroutine<Void> close() {
        connection.writer().close();
        await(connection.writer().waitClosed());
        return done();
    }

    /** How redis-cli shows a reply. */
    static String show(Object reply) {
        if (reply == null) {
            return "(nil)";
        }
        if (reply instanceof Long number) {
            return "(integer) " + number;
        }
        if (reply instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            for (Object item : list) {
                items.add(show(item));
            }
            return items.toString();
        }
        if (reply instanceof String text) {
            return "\"" + text + "\"";
        }
        return reply.toString();
    }

    @Async
    private static Coroutine<Void> shown(RespClient client, String... command) {
        Object reply = await(client.call(command));
        System.out.printf("%-34s %s%n", "> " + String.join(" ", command), show(reply));
        return done();
    }

    /**
     * The mini-redis demo: commands one by one, three pipelined in one write, a key expiring,
     * and a message published to a subscriber on a second connection.
     *
     * @param port the server's port on 127.0.0.1
     * @return the session
     */
    @Async
    static Coroutine<Void> demo(int port) {
        RespClient client = await(connect(port));
        await(shown(client, "PING"));
        await(shown(client, "SET", "greeting", "hello"));
        await(shown(client, "GET", "greeting"));
        await(shown(client, "INCR", "visits"));
        await(shown(client, "INCR", "visits"));
        await(shown(client, "DEL", "greeting", "nope"));

        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        pipelined.writeBytes(encode("SET", "a", "1"));
        pipelined.writeBytes(encode("INCR", "a"));
        pipelined.writeBytes(encode("GET", "a"));
        client.sendRaw(pipelined.toByteArray());
        System.out.println("> SET a 1 | INCR a | GET a  (one write) " + show(await(client.read())) + " "
                + show(await(client.read())) + " " + show(await(client.read())));

        await(shown(client, "SET", "session", "xyz", "PX", "100"));
        await(shown(client, "TTL", "session"));
        await(sleep(Duration.ofMillis(150)));
        await(shown(client, "GET", "session"));

        RespClient subscriber = await(connect(port));
        subscriber.send("SUBSCRIBE", "news");
        System.out.println("subscriber> SUBSCRIBE news           " + show(await(subscriber.read())));
        await(shown(client, "PUBLISH", "news", "coro speaks RESP"));
        System.out.println("subscriber receives                " + show(await(subscriber.read())));
        await(shown(client, "FOO"));
        await(subscriber.close());
        await(client.close());
        return done();
    }
}
