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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * Workload 4: {@link Sizes#SPAWNS} tasks per operation, either spawned and awaited one after the
 * other ({@code spawnAwait*}) or spawned at once and gathered ({@code gather*}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W4Spawn {
    /** @return Coro: {@code await(spawn(one()))} */
    @Benchmark
    public long spawnAwaitCoro() {
        return CoroPeer.spawnAwait(Sizes.SPAWNS);
    }

    /** @return Kotlin: {@code async { 1 }.await()} */
    @Benchmark
    public long spawnAwaitKotlin() {
        return KotlinPeer.spawnAwait(Sizes.SPAWNS);
    }

    /** @return ea-async: {@code await(supplyAsync(..., oneThread))} */
    @Benchmark
    public long spawnAwaitEaAsync() {
        return EaAsyncPeer.spawnAwait(Sizes.SPAWNS);
    }

    /** @return {@code supplyAsync(..., oneThread).thenAccept(next)} */
    @Benchmark
    public long spawnAwaitCompletableFuture() {
        return CompletableFuturePeer.spawnAwait(Sizes.SPAWNS);
    }

    /** @return virtual thread start + join */
    @Benchmark
    @Fork(jvmArgsAppend = Settings.ONE_CARRIER)
    public long spawnAwaitVirtualThread() {
        return new ThreadPeer(ThreadPeer.VIRTUAL).spawnAwait(Sizes.SPAWNS);
    }

    /** @return platform thread start + join */
    @Benchmark
    public long spawnAwaitPlatformThread() {
        return new ThreadPeer(ThreadPeer.PLATFORM).spawnAwait(Sizes.SPAWNS);
    }

    /** @return Coro: spawn all, then {@code await(gather(tasks))} */
    @Benchmark
    public long gatherCoro() {
        return CoroPeer.gather(Sizes.SPAWNS);
    }

    /** @return Kotlin: {@code List(n) { async { 1 } }.awaitAll()} */
    @Benchmark
    public long gatherKotlin() {
        return KotlinPeer.gather(Sizes.SPAWNS);
    }

    /** @return ea-async: {@code await(allOf(...))} */
    @Benchmark
    public long gatherEaAsync() {
        return EaAsyncPeer.gather(Sizes.SPAWNS);
    }

    /** @return {@code allOf} over {@code supplyAsync(..., oneThread)} */
    @Benchmark
    public long gatherCompletableFuture() {
        return CompletableFuturePeer.gather(Sizes.SPAWNS);
    }

    /** @return virtual threads: start all, join all */
    @Benchmark
    @Fork(jvmArgsAppend = Settings.ONE_CARRIER)
    public long gatherVirtualThread() {
        return new ThreadPeer(ThreadPeer.VIRTUAL).gather(Sizes.SPAWNS);
    }
}
