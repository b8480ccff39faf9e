package dev.coro.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main class of {@code coro-examples.jar}: {@code java -jar coro-examples.jar [NAME...]} runs
 * the named examples, or all of them; {@code list} names them. A server example takes options
 * after its name and then serves until killed, e.g.
 * {@code java -jar coro-examples.jar http-protocol --port 8080} (see {@link ServerOptions}).
 */
public final class Examples {
    /** A runnable example. */
    @FunctionalInterface
    interface Example {
        void run(String[] options) throws Exception;
    }

    /** An example without options. */
    @FunctionalInterface
    interface Plain {
        void run() throws Exception;
    }

    private static Example plain(Plain plain) {
        return options -> {
            if (options.length > 0) {
                throw new IllegalArgumentException("This example takes no options: " + List.of(options));
            }
            plain.run();
        };
    }

    private record Entry(String description, Example example) {
    }

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("gather-count", new Entry("article 1: three count() coroutines gathered, 1 s not 3",
                plain(() -> dev.coro.Coro.run(ArticleExamples.gatherCount()))));
        EXAMPLES.put("task-error", new Entry("article 2: an exception in a task, caught where it is awaited",
                plain(() -> dev.coro.Coro.run(ArticleExamples.taskError()))));
        EXAMPLES.put("cancel-swallowed", new Entry("article 3: a cancelled task that swallows CancelledError",
                plain(() -> dev.coro.Coro.run(ArticleExamples.cancelSwallowed()))));
        EXAMPLES.put("cancel-reraised", new Entry("article 3, variant: the task re-throws; main catches it",
                plain(() -> dev.coro.Coro.run(ArticleExamples.cancelReraised()))));
        EXAMPLES.put("sync-vs-async", new Entry("10 slow HTTP calls: blocking send vs await(sendAsync)",
                plain(() -> SyncVsAsync.main(new String[0]))));
        EXAMPLES.put("http-fan-out", new Entry("100 concurrent HTTP requests with gather, and a timeout",
                plain(() -> HttpFanOut.main(new String[0]))));
        EXAMPLES.put("producer-consumer", new Entry("a bounded Queue between a producer and two workers",
                plain(() -> dev.coro.Coro.run(ProducerConsumer.pipeline()))));
        EXAMPLES.put("task-group", new Entry("a taskGroup where one failure cancels the siblings",
                plain(() -> dev.coro.Coro.run(TaskGroupFailure.checkout()))));
        EXAMPLES.put("debugging", new Entry("an async stack trace five awaits deep, and a task dump",
                plain(() -> dev.coro.Coro.run(DebuggingDemo.main()))));
        EXAMPLES.put("parallel-commands", new Entry("8 shell commands, at most 3 at once (a Semaphore), outputs collected",
                plain(() -> dev.coro.Coro.run(ParallelCommands.main()))));
        EXAMPLES.put("echo", new Entry("an echo server and client on streams (--port N: serve until killed)",
                options -> dev.coro.Coro.run(EchoServer.main(ServerOptions.parse(options)))));
        EXAMPLES.put("chat", new Entry("a chat server: each line goes to every other client (--port N: serve)",
                options -> dev.coro.Coro.run(ChatServer.main(ServerOptions.parse(options)))));
        EXAMPLES.put("http-streams", new Entry("HTTP/1.1 keep-alive plaintext server on streams (--port N: serve)",
                options -> dev.coro.Coro.run(HttpStreamsServer.main(ServerOptions.parse(options)))));
        EXAMPLES.put("http-protocol", new Entry("the same HTTP server on a Protocol, the fast path (--port N: serve)",
                options -> dev.coro.Coro.run(HttpProtocolServer.main(ServerOptions.parse(options)))));
        EXAMPLES.put("drain", new Entry("on SIGTERM a server stops accepting, tells its clients, waits for them (--port N: serve)",
                options -> dev.coro.Coro.run(DrainingServer.main(options))));
        EXAMPLES.put("mini-redis", new Entry("a RESP server for redis-cli and redis-benchmark (--port N: serve)",
                options -> dev.coro.Coro.run(MiniRedis.main(ServerOptions.parse(options)))));
    }

    private Examples() {
    }

    /** @return the example names, in the order they run */
    static List<String> names() {
        return List.copyOf(EXAMPLES.keySet());
    }

    /**
     * Runs one example, with a header line.
     *
     * @param name its name
     * @throws Exception whatever the example throws
     * @throws IllegalArgumentException if there is no such example
     */
    static void run(String name) throws Exception {
        run(name, new String[0]);
    }

    /**
     * Runs one example with options, with a header line.
     *
     * @param name its name
     * @param options its options (a server's {@code --port N})
     * @throws Exception whatever the example throws
     * @throws IllegalArgumentException if there is no such example
     */
    static void run(String name, String[] options) throws Exception {
        Entry entry = EXAMPLES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("No example \"" + name + "\"; the examples are " + names());
        }
        System.out.println();
        System.out.println("=== " + name + ": " + entry.description());
        entry.example().run(options);
    }

    /**
     * @param args example names; none runs them all; {@code list} lists them
     * @throws Exception whatever an example throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("list") || args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: java -jar coro-examples.jar [NAME...]   (no name: run them all)");
            System.out.println("       java -jar coro-examples.jar SERVER [--host H] [--port N]   (serve until killed)");
            EXAMPLES.forEach((name, entry) -> System.out.printf("  %-18s %s%n", name, entry.description()));
            return;
        }
        if (args.length > 1 && args[1].startsWith("--")) {
            // one example and its options: a server to benchmark, serving until killed
            if (!EXAMPLES.containsKey(args[0])) {
                System.err.println("No example \"" + args[0] + "\"; the examples are " + names());
                System.exit(2);
            }
            run(args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        for (String name : args) {
            if (!EXAMPLES.containsKey(name)) {
                System.err.println("No example \"" + name + "\"; the examples are " + names());
                System.exit(2);
            }
        }
        List<String> chosen = args.length == 0 ? names() : List.of(args);
        long start = System.nanoTime();
        for (String name : chosen) {
            run(name);
        }
        System.out.printf("%n%d example%s in %.1f seconds%n", chosen.size(), chosen.size() == 1 ? "" : "s",
                (System.nanoTime() - start) / 1e9);
    }
}
