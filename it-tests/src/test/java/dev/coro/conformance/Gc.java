package dev.coro.conformance;

/** Python's {@code gc.collect()} for the ports: the one place that knows the runtime's GC hook. */
final class Gc {
    private Gc() {
    }

    /** Collects garbage and lets the running loop report collected tasks, if the runtime can. */
    static void collect() {
        System.gc();
    }
}
