package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.startServer;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An echo server and its client on streams (asyncio's {@code start_server} /
 * {@code open_connection}): the server sends each line back; one task per connection.
 *
 * <pre>
 * java -jar coro-examples.jar echo                 # demo: a client sends three lines, then exit
 * java -jar coro-examples.jar echo --port 8888     # serve until killed; try: nc 127.0.0.1 8888
 * </pre>
 */
public final class EchoServer {
    private EchoServer() {
    }

    /**
     * One connection: each line back, until EOF. When the handler returns, the server closes the
     * connection (after sending what is buffered).
     *
     * @param reader the read side
     * @param writer the write side
     * @return the handler
     */
    @Async
    static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
        byte[] line;
        while ((line = await(reader.readLine())).length > 0) {
            writer.write(line);
            await(writer.drain()); // waits only if the peer does not read what we send
        }
        return done();
    }

    /**
     * Connects, sends each line, reads each answer.
     *
     * @param host the server's address
     * @param port its port
     * @param lines the lines to send
     * @return the answers, in order
     */
    @Async
    static Coroutine<List<String>> client(String host, int port, List<String> lines) {
        Connection connection = await(openConnection(host, port));
        List<String> answers = new ArrayList<>();
        for (String line : lines) {
            connection.writer().write(line + "\n");
            await(connection.writer().drain());
            byte[] answer = await(connection.reader().readLine());
            answers.add(new String(answer, StandardCharsets.UTF_8).strip());
        }
        connection.writer().close();
        await(connection.writer().waitClosed());
        return done(answers);
    }

    /**
     * Serves until killed ({@code --port}), or runs the demo: a server on a free port, a client
     * sending three lines, then the server closed.
     *
     * @param options host and port
     * @return the example
     */
    @Async
    public static Coroutine<Void> main(ServerOptions options) {
        Server server = await(startServer(EchoServer::handle, options.host(), options.port()));
        int port = port(server);
        if (options.serve()) {
            System.out.println("echo server on " + options.host() + ":" + port + "; stop it with Ctrl-C");
            await(server.serveForever());
            return done();
        }
        try {
            List<String> answers = await(client("127.0.0.1", port, List.of("hello", "one thread", "many sockets")));
            for (String answer : answers) {
                System.out.println("echoed: " + answer);
            }
        } finally {
            server.close();
        }
        await(server.waitClosed());
        return done();
    }

    /**
     * @param server a TCP server
     * @return the port it listens on (the one the system chose for port 0)
     */
    static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }
}
