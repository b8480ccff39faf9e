package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Method kinds: instance, private, generic, final, synchronized blocks and methods, recursion. */
public class Methods {
    private final int base;
    private int counter;
    private final Object lock = new Object();

    Methods(int base) {
        this.base = base;
    }

    @Async
    Coroutine<Integer> instance(int add) {
        counter += await(i(add));
        return done(base + counter + this.base);
    }

    @Async
    private Coroutine<String> privateInstance(String s) {
        return done(s + await(v(base)));
    }

    @Async
    private static Coroutine<String> privateStatic(String s) {
        return done(await(v(s)) + s);
    }

    @Async
    public final <T extends Comparable<T>> Coroutine<T> genericMax(T a, T b) {
        T x = await(v(a));
        T y = await(v(b));
        return done(x.compareTo(y) >= 0 ? x : y);
    }

    @Async
    static <K, V> Coroutine<List<V>> genericMap(List<K> keys, Function<K, V> f) {
        List<V> out = new ArrayList<>();
        for (K k : keys) {
            out.add(f.apply(await(v(k))));
        }
        return done(out);
    }

    @Async
    Coroutine<Integer> synchronizedBlockBetweenAwaits() {
        int a = await(i(1));
        synchronized (lock) {
            counter += a;
        }
        int b = await(i(2));
        synchronized (this) {
            counter += b;
        }
        return done(counter);
    }

    @Async
    synchronized Coroutine<Boolean> synchronizedMethodWithoutAwait() {
        return done(Thread.holdsLock(this));
    }

    @Async
    static synchronized Coroutine<Boolean> staticSynchronizedWithoutAwait() {
        return done(Thread.holdsLock(Methods.class));
    }

    @Async
    static Coroutine<Long> fibonacci(int n) {
        if (n < 2) {
            return done((long) await(i(n)));
        }
        long a = await(fibonacci(n - 1));
        long b = await(fibonacci(n - 2));
        return done(a + b);
    }

    @Async
    public static Coroutine<String> entryInstance() {
        Methods m = new Methods(100);
        int first = await(m.instance(1));
        int second = await(m.instance(2));
        return done(first + "," + second + "," + await(m.privateInstance("p")) + "," + await(privateStatic("s"))
                + "," + await(m.genericMax("pear", "apple")) + "," + await(genericMap(List.of(1, 2), k -> k * 10)));
    }

    @Async
    public static Coroutine<String> entrySynchronized() {
        Methods m = new Methods(0);
        int c = await(m.synchronizedBlockBetweenAwaits());
        boolean held = await(m.synchronizedMethodWithoutAwait());
        boolean heldStatic = await(staticSynchronizedWithoutAwait());
        return done(c + " " + held + " " + heldStatic + " " + Thread.holdsLock(m));
    }

    @Async
    static Coroutine<String> overloaded(int x) {
        return done("int " + await(i(x)));
    }

    @Async
    static Coroutine<String> overloaded(String x) {
        return done("string " + await(v(x)));
    }

    @Async
    public static Coroutine<String> entryOverloads() {
        return done(await(overloaded(1)) + ", " + await(overloaded("s")));
    }

    @Async
    public static Coroutine<Long> entryRecursion(int n) {
        return done(await(fibonacci(n)));
    }
}
