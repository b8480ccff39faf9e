package dev.coro.bench.jmh;

import dev.coro.bench.Sizes;
import dev.coro.bench.coro.CoroPeer;
import dev.coro.bench.kt.KotlinPeer;
import dev.coro.bench.peers.ThreadPeer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * Workload 7: one producer, one consumer, {@link Sizes#ITEMS} items per operation through a bounded
 * queue of {@code capacity} (Coro: {@code dev.coro.Queue}). ea-async and plain {@code CompletableFuture} have no bounded async
 * queue, so they are not in this workload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W7Queue {
    /** The queue's bound. */
    @Param({"1", "64"})
    public int capacity;

    /** @return Coro: {@code Queue(capacity)}, {@code await(put)}/{@code await(get)} */
    @Benchmark
    public long coro() {
        return CoroPeer.queue(capacity, Sizes.ITEMS);
    }

    /** @return Kotlin: {@code Channel(capacity)}, {@code send}/{@code receive} */
    @Benchmark
    public long kotlin() {
        return KotlinPeer.queue(capacity, Sizes.ITEMS);
    }

    /** @return virtual threads on one carrier, {@code ArrayBlockingQueue} */
    @Benchmark
    @Fork(jvmArgsAppend = Settings.ONE_CARRIER)
    public long virtualThread() {
        return new ThreadPeer(ThreadPeer.VIRTUAL).queue(capacity, Sizes.ITEMS);
    }

    /** @return two platform threads, {@code ArrayBlockingQueue} */
    @Benchmark
    public long platformThread() {
        return new ThreadPeer(ThreadPeer.PLATFORM).queue(capacity, Sizes.ITEMS);
    }
}
