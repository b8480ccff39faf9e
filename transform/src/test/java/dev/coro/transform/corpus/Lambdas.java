package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** Async lambdas: lambdas returning Coroutine that await are rewritten like @Async methods. */
public final class Lambdas {
    private final String name;

    Lambdas(String name) {
        this.name = name;
    }

    /** What taskGroup-like APIs take: a body returning a coroutine. */
    @FunctionalInterface
    public interface Body<T, R> {
        Coroutine<R> run(T argument);
    }

    @Async
    static <T, R> Coroutine<R> with(T argument, Body<T, R> body) {
        return done(await(body.run(argument)));
    }

    Supplier<Coroutine<String>> capturingThis() {
        return () -> {
            String s = await(v(name));
            return done(s + "!" + name.length());
        };
    }

    @Async
    public static Coroutine<String> entry() {
        Supplier<Coroutine<Integer>> plain = () -> {
            int x = await(i(1));
            return done(x + 1);
        };
        int base = await(i(10));
        long wide = 1L << 33;
        Function<Integer, Coroutine<Long>> capturing = k -> {
            int got = await(i(k));
            return done(base + got + wide);
        };
        Supplier<Coroutine<Integer>> expression = () -> done(await(i(5)) * 2);
        BiFunction<String, String, Coroutine<String>> nested = (a, b) -> {
            Supplier<Coroutine<String>> inner = () -> done(await(v(a)) + await(v(b)));
            return done("<" + await(inner.get()) + ">");
        };
        String viaBody = await(with("arg", s -> done(s.toUpperCase() + await(v("?")))));
        Task<Integer> task = Coro.spawn(plain.get());
        Supplier<Awaitable<String>> typedAwaitable = () -> {
            String got = await(v("aw"));
            return done(got + "!");
        };
        return done(await(plain.get()) + "," + await(capturing.apply(3)) + "," + await(expression.get())
                + "," + await(nested.apply("x", "y")) + "," + await(new Lambdas("me").capturingThis().get())
                + "," + viaBody + "," + await(task) + "," + await(typedAwaitable.get()));
    }

    /** A lambda returning Coroutine without awaiting is left alone (it returns done(...) as is). */
    public static Supplier<Coroutine<String>> notAsync() {
        return () -> done("plain");
    }
}
