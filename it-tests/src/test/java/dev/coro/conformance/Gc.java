package dev.coro.conformance;

import dev.coro.Coro;

/** Python's {@code gc.collect()} for the ports: the one place that knows the runtime's GC hook. */
final class Gc {
    private Gc() {
    }

    /**
     * Collects garbage and has the running loop report the failed tasks and promises collected
     * with their exception unretrieved ({@link dev.coro.EventLoop#collectGarbageForTests()}).
     */
    static void collect() {
        Coro.loop().collectGarbageForTests();
    }
}
