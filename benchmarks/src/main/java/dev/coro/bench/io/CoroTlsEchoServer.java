package dev.coro.bench.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.startServer;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.io.Server;
import dev.coro.io.StreamOptions;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The Coro peer of the TLS echo benchmark: the echo example's handler (each line back, on
 * streams) behind {@code StreamOptions.ssl(...)}, one event loop; TLS 1.3 with one cipher suite
 * ({@link TlsSetup}).
 */
final class CoroTlsEchoServer {
    private CoroTlsEchoServer() {
    }

    @Async
    static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
        byte[] line;
        while ((line = await(reader.readLine())).length > 0) {
            writer.write(line);
            await(writer.drain());
        }
        return done();
    }

    @Async
    static Coroutine<Void> serve(int port, SSLContext context) {
        Server server = await(startServer(CoroTlsEchoServer::handle, "127.0.0.1", port,
                StreamOptions.defaults().ssl(context).sslEngineConfigurator(TlsSetup::restrict).backlog(1024)));
        System.out.println("coro TLS echo server on 127.0.0.1:" + port + ", one event loop, "
                + TlsSetup.PROTOCOL + " " + TlsSetup.CIPHER_SUITE);
        await(server.serveForever());
        return done();
    }

    static void serve(int port, Path keyStore) throws Exception {
        Coro.run(serve(port, TlsSetup.context(keyStore)));
    }
}
