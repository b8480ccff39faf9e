package dev.coro.transform.refused;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.Coro;
import dev.coro.Coroutine;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every site the rewriter must refuse; each is marked with a {@code // REFUSED:<kind>} comment on
 * its line, which the test reads to know the line the diagnostic must name. Never loaded.
 */
public abstract class Refusals {
    private final Object lock = new Object();

    static Coroutine<Integer> notAsync(Coroutine<Integer> c) {
        int x = await(c); // REFUSED:not-async
        return done(x);
    }

    static int plainMethod(Coroutine<Integer> c) {
        return await(c) + 1; // REFUSED:not-async
    }

    @Async
    Coroutine<Integer> underMonitor(Coroutine<Integer> c) {
        int before = await(c);
        synchronized (lock) {
            before += await(c); // REFUSED:monitor
        }
        return done(before);
    }

    @Async
    synchronized Coroutine<Integer> synchronizedMethod(Coroutine<Integer> c) {
        return done(await(c)); // REFUSED:synchronized
    }

    @Async
    abstract Coroutine<Integer> abstractMethod(); // REFUSED:abstract

    @Async
    native Coroutine<Integer> nativeMethod(); // REFUSED:native

    @Async
    static int notCoroutine() {
        return 1; // REFUSED:return-type
    }

    @Async
    static Coroutine<Integer> lambdaNotReturningCoroutine(Coroutine<Integer> c) {
        Supplier<Integer> s = () -> await(c); // REFUSED:lambda
        return done(s.get());
    }

    @Async
    static Coroutine<Integer> methodReference(Awaitable<Integer> a) {
        Function<Awaitable<Integer>, Integer> f = Coro::await; // REFUSED:method-reference
        return done(f.apply(a));
    }

    static final int FROM_INITIALIZER = await(Coro.done(1)); // REFUSED:initializer

    /** A class whose constructor the test marks @Async with ASM (javac would not allow it). */
    public static final class ConstructorTarget {
        ConstructorTarget() {
            super(); // REFUSED:constructor
        }
    }
}
