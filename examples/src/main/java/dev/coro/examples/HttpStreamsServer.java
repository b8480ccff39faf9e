package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.startServer;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.io.IncompleteReadException;
import dev.coro.io.LimitOverrunException;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP/1.1 keep-alive plaintext server on streams: one task per connection reading requests
 * with {@link StreamReader#readUntil(byte[])}, as one would write it with asyncio. Every request
 * gets {@code Hello, World!} with TechEmpower's plaintext headers.
 *
 * <p>Pipelined requests are answered with one write: while more bytes are buffered after a request,
 * its answer is collected in a {@link Batch}, and the answer to the last buffered request writes the
 * batch and itself with {@link StreamWriter#writeLines} (one gathering system call instead of one
 * per request). Whether the buffered bytes
 * hold a whole request is not known in advance, so the first collected answer also schedules a
 * flush for the next loop iteration: if the handler then waits for the rest of a request, the
 * answers collected so far go out anyway. {@code drain()} (waiting while the peer does not read)
 * runs after each write. A peer that resets the connection ends its handler quietly.
 *
 * <pre>
 * java -jar coro-examples.jar http-streams                 # demo: a few requests, then exit
 * java -jar coro-examples.jar http-streams --port 8080     # serve until killed: wrk http://127.0.0.1:8080/
 * </pre>
 */
public final class HttpStreamsServer {
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};
    private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private HttpStreamsServer() {
    }

    /**
     * One connection: requests until EOF, a bad request or {@code Connection: close}.
     *
     * @param plaintext the response
     * @param reader the read side
     * @param writer the write side
     * @return the handler
     */
    @Async
    static Coroutine<Void> handle(Plaintext plaintext, StreamReader reader, StreamWriter writer) {
        HttpRequestParser parser = new HttpRequestParser();
        Batch batch = new Batch(writer);
        try {
            while (true) {
                byte[] head;
                try {
                    head = await(reader.readUntil(END_OF_HEAD));
                } catch (IncompleteReadException | LimitOverrunException e) {
                    break; // EOF (between requests or within one), or a head over the limit
                }
                if (parser.parse(ByteBuffer.wrap(head), 0, head.length) == HttpRequestParser.BAD) {
                    batch.writeWith(BAD_REQUEST);
                    break;
                }
                if (parser.contentLength() > 0) {
                    await(reader.readExactly(parser.contentLength())); // a body: read and ignore
                }
                if (parser.keepAlive() && reader.buffered() > 0) {
                    batch.add(plaintext.response()); // a pipelined request follows: answer with it
                    continue;
                }
                batch.writeWith(plaintext.response());
                if (!parser.keepAlive()) {
                    break;
                }
                await(writer.drain()); // waits only while the peer does not read
            }
        } catch (Exception e) {
            if (!(e instanceof IOException)) {
                throw e;
            }
            // The peer reset the connection: nothing to answer, nothing to report.
        }
        batch.flush();
        return done(); // the server closes the connection after sending what is buffered
    }

    /**
     * Answers of pipelined requests waiting to be written together, with one
     * {@link StreamWriter#writeLines} (one gathering write). Loop thread only.
     */
    static final class Batch {
        private final StreamWriter writer;
        private final List<byte[]> answers = new ArrayList<>();
        private final Runnable flushSoon = this::flush;

        Batch(StreamWriter writer) {
            this.writer = writer;
        }

        /** Collects an answer; the first of a batch also schedules a flush for the next loop iteration. */
        void add(byte[] answer) {
            if (answers.isEmpty()) {
                loop().callSoon(flushSoon); // a no-op if the batch is written before
            }
            answers.add(answer);
        }

        /** Writes the collected answers and {@code answer} in one write. */
        void writeWith(byte[] answer) {
            answers.add(answer);
            flush();
        }

        /** Writes what was collected, if anything (nothing once the connection is closing). */
        void flush() {
            if (!answers.isEmpty() && !writer.isClosing()) {
                writer.writeLines(answers); // the transport copies what it cannot send now
            }
            answers.clear();
        }
    }

    /**
     * Starts the server on the current loop.
     *
     * @param plaintext the response
     * @param host the address
     * @param port the port (0: a free one)
     * @return the server
     */
    static Coroutine<Server> start(Plaintext plaintext, String host, int port) {
        return startServer((reader, writer) -> handle(plaintext, reader, writer), host, port,
                StreamOptions.defaults().limit(HttpRequestParser.MAX_HEAD));
    }

    /**
     * Serves until killed ({@code --port}), or runs the demo: the server on a free port, a few
     * requests over one connection (three of them pipelined), then exit.
     *
     * @param options host and port
     * @return the example
     */
    @Async
    public static Coroutine<Void> main(ServerOptions options) {
        Plaintext plaintext = Plaintext.start(loop());
        Server server = await(start(plaintext, options.host(), options.port()));
        int port = EchoServer.port(server);
        try {
            if (options.serve()) {
                System.out.println("HTTP server (streams) on http://" + options.host() + ":" + port + "/; stop it with Ctrl-C");
                await(server.serveForever());
            } else {
                await(HttpClientDemo.run(port));
            }
        } finally {
            plaintext.stop();
            server.close();
        }
        await(server.waitClosed());
        return done();
    }
}
