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
 * Workload 2: {@code tasks} tasks round robin, each yielding {@link Sizes#yieldsPerTask(int)} times
 * ({@link Sizes#switches(int)} switches per operation; spawning the tasks is included), with a million
 * tasks. One operation takes from a fraction of a second to tens of seconds, so run-benchmarks.sh runs
 * this class on its own in single-shot mode ({@code -bm ss}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W2SwitchMillion {
    /** Tasks running round robin (the smoke test overrides it with a small value). */
    @Param({"1000000"})
    public int tasks;

    /** @return Coro: {@code await(sleep(Duration.ZERO))} in spawned tasks */
    @Benchmark
    public long coro() {
        return CoroPeer.switches(tasks, Sizes.yieldsPerTask(tasks));
    }

    /** @return Kotlin: {@code yield()} in {@code launch}ed coroutines of one {@code runBlocking} */
    @Benchmark
    public long kotlin() {
        return KotlinPeer.switches(tasks, Sizes.yieldsPerTask(tasks));
    }

    /** @return ea-async: {@code await(runAsync(NOOP, oneThread))} */
    @Benchmark
    public long eaAsync() {
        return EaAsyncPeer.switches(tasks, Sizes.yieldsPerTask(tasks));
    }

    /** @return async loops of {@code runAsync(NOOP, oneThread).thenRun(next)} */
    @Benchmark
    public long completableFuture() {
        return CompletableFuturePeer.switches(tasks, Sizes.yieldsPerTask(tasks));
    }

    /** @return virtual threads on one carrier calling {@code Thread.yield()} */
    @Benchmark
    @Fork(jvmArgsAppend = Settings.ONE_CARRIER)
    public long virtualThread() {
        return new ThreadPeer(ThreadPeer.VIRTUAL).switches(tasks, Sizes.yieldsPerTask(tasks));
    }
}
