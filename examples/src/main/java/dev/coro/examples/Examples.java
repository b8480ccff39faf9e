package dev.coro.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The main class of {@code coro-examples.jar}: {@code java -jar coro-examples.jar [NAME...]} runs
 * the named examples, or all of them; {@code list} names them.
 */
public final class Examples {
    /** A runnable example. */
    @FunctionalInterface
    interface Example {
        void run() throws Exception;
    }

    private record Entry(String description, Example example) {
    }

    private static final Map<String, Entry> EXAMPLES = new LinkedHashMap<>();

    static {
        EXAMPLES.put("gather-count", new Entry("article 1: three count() coroutines gathered, 1 s not 3",
                () -> dev.coro.Coro.run(ArticleExamples.gatherCount())));
        EXAMPLES.put("task-error", new Entry("article 2: an exception in a task, caught where it is awaited",
                () -> dev.coro.Coro.run(ArticleExamples.taskError())));
        EXAMPLES.put("cancel-swallowed", new Entry("article 3: a cancelled task that swallows CancelledError",
                () -> dev.coro.Coro.run(ArticleExamples.cancelSwallowed())));
        EXAMPLES.put("cancel-reraised", new Entry("article 3, variant: the task re-throws; main catches it",
                () -> dev.coro.Coro.run(ArticleExamples.cancelReraised())));
        EXAMPLES.put("sync-vs-async", new Entry("10 slow HTTP calls: blocking send vs await(sendAsync)",
                () -> SyncVsAsync.main(new String[0])));
        EXAMPLES.put("http-fan-out", new Entry("100 concurrent HTTP requests with gather, and a timeout",
                () -> HttpFanOut.main(new String[0])));
        EXAMPLES.put("producer-consumer", new Entry("a bounded Queue between a producer and two workers",
                () -> dev.coro.Coro.run(ProducerConsumer.pipeline())));
        EXAMPLES.put("task-group", new Entry("a taskGroup where one failure cancels the siblings",
                () -> dev.coro.Coro.run(TaskGroupFailure.checkout())));
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
        Entry entry = EXAMPLES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("No example \"" + name + "\"; the examples are " + names());
        }
        System.out.println();
        System.out.println("=== " + name + ": " + entry.description());
        entry.example().run();
    }

    /**
     * @param args example names; none runs them all; {@code list} lists them
     * @throws Exception whatever an example throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("list") || args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: java -jar coro-examples.jar [NAME...]   (no name: run them all)");
            EXAMPLES.forEach((name, entry) -> System.out.printf("  %-18s %s%n", name, entry.description()));
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
