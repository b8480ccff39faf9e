package dev.coro.bench.peers;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The one-thread executor that the {@code CompletableFuture} and ea-async peers continue on: the
 * closest JDK equivalent of an event loop (one thread, a FIFO queue of callbacks).
 */
public final class OneThread {
    /** One daemon thread, FIFO. */
    public static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(daemon("peer-loop"));

    private OneThread() {
    }

    /**
     * A factory of daemon platform threads with a fixed name.
     *
     * @param name the threads' name
     * @return the factory
     */
    public static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
