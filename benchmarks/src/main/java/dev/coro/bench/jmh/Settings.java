package dev.coro.bench.jmh;

/** JVM options shared by the benchmark classes' {@code @Fork} annotations. */
final class Settings {
    /** Virtual threads on one carrier thread, like the one-thread event loops they are compared with. */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    private Settings() {
    }
}
