package dev.coro.bench.jmh;

import dev.coro.bench.Sizes;
import dev.coro.bench.peers.ThreadPeer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * Workload 2 on platform threads ({@code Thread.yield()}, OS scheduling on all cores); a million
 * platform threads is not meaningful, so only 1 and 1,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W2SwitchPlatform {
    /** Threads running at once. */
    @Param({"1", "1000"})
    public int tasks;

    /** @return platform threads calling {@code Thread.yield()} */
    @Benchmark
    public long platformThread() {
        return new ThreadPeer(ThreadPeer.PLATFORM).switches(tasks, Sizes.yieldsPerTask(tasks));
    }
}
