package dev.coro.bench.jmh;

import dev.coro.bench.Sizes;
import dev.coro.bench.coro.CoroPeer;
import dev.coro.bench.ea.EaAsyncPeer;
import dev.coro.bench.kt.KotlinPeer;
import dev.coro.bench.peers.CompletableFuturePeer;
import dev.coro.bench.peers.ThreadPeer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * Workload 1: {@link Sizes#COMPLETED_AWAITS} awaits of an already-completed awaitable in one
 * coroutine (or thread) per operation, and a plain method call as the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W1AwaitCompleted {
    private static final Integer ONE = 1;
    private volatile Integer one = ONE;

    /**
     * The floor: a loop of plain calls returning a boxed value, as the JIT sees them (inlined); the
     * value is read from a volatile field so that the loop cannot be folded away.
     *
     * @return the sum
     */
    @Benchmark
    public long plainCall() {
        long s = 0;
        for (int i = 0; i < Sizes.COMPLETED_AWAITS; i++) {
            s += inlinedValue();
        }
        return s;
    }

    private int inlinedValue() {
        return one;
    }

    /** @return a second floor: the same loop calling a method that is never inlined */
    @Benchmark
    public long plainCallNotInlined() {
        long s = 0;
        for (int i = 0; i < Sizes.COMPLETED_AWAITS; i++) {
            s += value(ONE);
        }
        return s;
    }

    // JMH applies @CompilerControl to methods of benchmark classes only: this one must stay here
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static int value(Integer v) {
        return v;
    }

    /** @return Coro: {@code await(promise)} of a completed promise in an {@code @Async} method */
    @Benchmark
    public long coro() {
        return CoroPeer.awaitCompleted(Sizes.COMPLETED_AWAITS);
    }

    /** @return Kotlin: {@code Deferred.await()} of a completed deferred */
    @Benchmark
    public long kotlin() {
        return KotlinPeer.awaitCompleted(Sizes.COMPLETED_AWAITS);
    }

    /** @return ea-async: {@code await(completedFuture)} */
    @Benchmark
    public long eaAsync() {
        return EaAsyncPeer.awaitCompleted(Sizes.COMPLETED_AWAITS);
    }

    /** @return {@code thenCompose} on a completed future */
    @Benchmark
    public long completableFuture() {
        return CompletableFuturePeer.awaitCompleted(Sizes.COMPLETED_AWAITS);
    }

    /** @return a virtual thread's blocking {@code join()} of a completed future */
    @Benchmark
    @Fork(jvmArgsAppend = Settings.ONE_CARRIER)
    public long virtualThread() {
        return new ThreadPeer(ThreadPeer.VIRTUAL).awaitCompleted(Sizes.COMPLETED_AWAITS);
    }
}
