package dev.coro.bench.jmh;

import dev.coro.bench.Sizes;
import dev.coro.bench.coro.CoroPeer;
import dev.coro.bench.ea.EaAsyncPeer;
import dev.coro.bench.kt.KotlinPeer;
import dev.coro.bench.peers.CompletableFuturePeer;
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
 * Workload 3: {@link Sizes#CHAINS} await chains per operation, one after the other; a chain is a
 * coroutine awaiting a coroutine {@code depth} levels deep, the innermost suspending once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W3Chain {
    /** Levels of the chain. */
    @Param({"1", "10", "100"})
    public int depth;

    /** @return Coro: nested {@code @Async} methods, {@code sleep(Duration.ZERO)} innermost */
    @Benchmark
    public long coro() {
        return CoroPeer.chain(depth, Sizes.CHAINS);
    }

    /** @return Kotlin: nested suspend calls, {@code yield()} innermost */
    @Benchmark
    public long kotlin() {
        return KotlinPeer.chain(depth, Sizes.CHAINS);
    }

    /** @return ea-async: nested async methods, one hop through the executor innermost */
    @Benchmark
    public long eaAsync() {
        return EaAsyncPeer.chain(depth, Sizes.CHAINS);
    }

    /** @return nested {@code thenApply} on a {@code supplyAsync} */
    @Benchmark
    public long completableFuture() {
        return CompletableFuturePeer.chain(depth, Sizes.CHAINS);
    }

    /** @return plain recursion in a virtual thread, {@code Thread.yield()} innermost */
    @Benchmark
    @Fork(jvmArgsAppend = Settings.ONE_CARRIER)
    public long virtualThread() {
        return new ThreadPeer(ThreadPeer.VIRTUAL).chain(depth, Sizes.CHAINS);
    }
}
