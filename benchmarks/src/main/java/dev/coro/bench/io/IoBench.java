package dev.coro.bench.io;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line of the I/O peers that {@code benchmarks/run-io-benchmarks.sh} and
 * {@code benchmarks/run-soak.sh} start as their own processes:
 *
 * <pre>
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench netty-epoll --port P   # Netty 4.2, one event loop, epoll
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench netty-nio --port P     # the same on NIO
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench nio-loop --port P      # a hand-written selector loop (the floor)
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench jdk-httpserver --port P  # com.sun.net.httpserver on virtual threads
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench echo-load --port P [--connections 100] [--seconds 15] [--warmup 5] [--size 32]
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench coro-tls-echo --port P --keystore K.p12     # TLS echo, Coro streams + SslProtocol
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench netty-tls-epoll --port P --keystore K.p12   # TLS echo, Netty SslHandler (JDK provider), epoll
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench netty-tls-nio --port P --keystore K.p12     # the same on NIO
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench tls-echo-load --port P --keystore K.p12 [--connections 100] [--seconds 15] [--warmup 5] [--size 32]
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench soak-server --port P [--every 10]
 * java -cp benchmarks.jar dev.coro.bench.io.IoBench soak-client --port P [--minutes 10] [--clients 100] [--cycles-per-minute 10000] [--every 10]
 * </pre>
 *
 * <p>The HTTP servers answer every request with TechEmpower's plaintext response
 * ({@link PlaintextResponse}). Servers serve until killed.
 */
public final class IoBench {
    private IoBench() {
    }

    /**
     * @param args the peer's name, then {@code --name value} options
     * @throws Exception when the peer fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: IoBench netty-epoll|netty-nio|nio-loop|nio-echo|jdk-httpserver|echo-load|coro-tls-echo|netty-tls-epoll|netty-tls-nio|tls-echo-load|soak-server|soak-client --port P [...]");
            System.exit(2);
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        int port = Integer.parseInt(options.getOrDefault("port", "8080"));
        switch (args[0]) {
            case "netty-epoll" -> NettyPlaintextServer.serve(port, true);
            case "netty-nio" -> NettyPlaintextServer.serve(port, false);
            case "nio-loop" -> NioLoopServer.serve(port);
            case "nio-echo" -> NioEchoServer.serve(port);
            case "jdk-httpserver" -> JdkHttpServer.serve(port);
            case "echo-load" -> EchoLoad.run(port, intOption(options, "connections", 100),
                    doubleOption(options, "seconds", 15), doubleOption(options, "warmup", 5), intOption(options, "size", 32));
            case "coro-tls-echo" -> CoroTlsEchoServer.serve(port, TlsSetup.keyStore(options));
            case "netty-tls-epoll" -> NettyTlsEchoServer.serve(port, true, TlsSetup.keyStore(options));
            case "netty-tls-nio" -> NettyTlsEchoServer.serve(port, false, TlsSetup.keyStore(options));
            case "tls-echo-load" -> TlsEchoLoad.run(port, intOption(options, "connections", 100),
                    doubleOption(options, "seconds", 15), doubleOption(options, "warmup", 5), intOption(options, "size", 32),
                    TlsSetup.keyStore(options));
            case "soak-server" -> SoakServer.serve(port, intOption(options, "every", 10));
            case "soak-client" -> SoakClient.run(port, doubleOption(options, "minutes", 10), intOption(options, "clients", 100),
                    intOption(options, "cycles-per-minute", 10_000), intOption(options, "every", 10));
            default -> {
                System.err.println("unknown peer " + args[0]);
                System.exit(2);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static int intOption(Map<String, String> options, String name, int otherwise) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : otherwise;
    }

    private static double doubleOption(Map<String, String> options, String name, double otherwise) {
        return options.containsKey(name) ? Double.parseDouble(options.get(name)) : otherwise;
    }
}
