package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.io.Protocol;
import dev.coro.io.Server;
import dev.coro.io.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1.1 keep-alive plaintext server on a {@link Protocol}: callbacks, no coroutine per
 * request. Every request gets {@code Hello, World!} with TechEmpower's plaintext headers.
 *
 * <p>Requests are parsed straight from the buffer {@code dataReceived} is handed. Pipelined
 * requests (many in one buffer) are answered with one {@link Transport#write} per
 * {@code dataReceived}; a request split across buffers waits, copied, for its end. Per request
 * nothing is allocated: the response bytes are encoded once a second ({@link Plaintext}).
 *
 * <pre>
 * java -jar coro-examples.jar http-protocol                 # demo: a few requests, then exit
 * java -jar coro-examples.jar http-protocol --port 8080     # serve until killed: wrk http://127.0.0.1:8080/
 * </pre>
 */
public final class HttpProtocolServer {
    private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private HttpProtocolServer() {
    }

    /**
     * One connection. The output buffer is shared by every connection of the loop: it is filled
     * and written within one {@code dataReceived} call, and the transport copies what the socket
     * does not take at once.
     */
    static final class HttpProtocol implements Protocol {
        private final Plaintext plaintext;
        private final ByteBuffer out;
        private final HttpRequestParser parser = new HttpRequestParser();
        private Transport transport;
        private ByteBuffer partial; // write mode: the start of a request that did not arrive whole

        HttpProtocol(Plaintext plaintext, ByteBuffer out) {
            this.plaintext = plaintext;
            this.out = out;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            ByteBuffer in = data;
            if (partial != null && partial.position() > 0) {
                partial = append(partial, data);
                partial.flip();
                in = partial;
            }
            int position = in.position();
            int limit = in.limit();
            byte[] response = plaintext.response();
            boolean close = false;
            out.clear();
            while (position < limit) {
                int end = parser.parse(in, position, limit);
                if (end == HttpRequestParser.INCOMPLETE) {
                    break;
                }
                if (out.remaining() < response.length + BAD_REQUEST.length) {
                    flush();
                }
                if (end == HttpRequestParser.BAD) {
                    out.put(BAD_REQUEST);
                    close = true;
                    break;
                }
                out.put(response);
                position = end;
                if (!parser.keepAlive()) {
                    close = true;
                    break;
                }
            }
            flush();
            if (close) {
                transport.close();
                return;
            }
            // Keep the unanswered rest (a request split across reads) for the next call.
            if (in == partial) {
                partial.position(position);
                partial.compact();
            } else if (position < limit) {
                partial = append(partial, in.duplicate().position(position));
            }
        }

        private void flush() {
            if (out.position() > 0) {
                out.flip();
                transport.write(out);
                out.clear();
            }
        }

        private static ByteBuffer append(ByteBuffer buffer, ByteBuffer data) {
            if (buffer == null) {
                buffer = ByteBuffer.allocate(Math.max(1024, data.remaining()));
            } else if (buffer.remaining() < data.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + data.remaining()));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            buffer.put(data);
            return buffer;
        }
    }

    /**
     * Starts the server on the current loop.
     *
     * @param host the address to listen on
     * @param port the port (0: a free one)
     * @return the server; closing it does not stop the {@code Date} timer: call
     *     {@link Plaintext#stop()} on {@code plaintext}
     */
    static Coroutine<Server> start(Plaintext plaintext, String host, int port) {
        EventLoop loop = loop();
        ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
        return loop.createServer(() -> new HttpProtocol(plaintext, out), host, port);
    }

    /**
     * Serves until killed ({@code --port}), or runs the demo: the server on a free port, a few
     * requests over one connection (one of them pipelined), then exit.
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
                System.out.println("HTTP server (protocol) on http://" + options.host() + ":" + port + "/; stop it with Ctrl-C");
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
