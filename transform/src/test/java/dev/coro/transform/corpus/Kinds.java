package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.function.Supplier;

/** @Async methods in every kind of class: interfaces, inner, anonymous, local, generic, records, enums. */
public final class Kinds {
    private Kinds() {
    }

    /** Default and static interface methods. */
    public interface Greeter {
        String name();

        @Async
        default Coroutine<String> greet(String greeting) {
            String g = await(v(greeting));
            return done(g + ", " + name() + await(punctuation()));
        }

        @Async
        static Coroutine<String> punctuation() {
            return done(await(v("!")));
        }
    }

    /** An inner (non-static) class using its outer instance. */
    public final class Inner {
        @Async
        Coroutine<String> describe() {
            return done(await(v("inner of ")) + prefix);
        }
    }

    private String prefix = "kinds";

    /** A nested generic class with a generic @Async method. */
    public static final class Box<T> {
        private final T value;

        Box(T value) {
            this.value = value;
        }

        /** Generic in the class and in the method. */
        public static final class Nested<U> {
            @Async
            <V> Coroutine<String> combine(Box<U> box, V extra) {
                U u = await(v(box.value));
                return done(u + "/" + await(v(extra)));
            }
        }
    }

    /** A record with an @Async method. */
    public record Point(int x, int y) {
        @Async
        Coroutine<Point> moved(int dx) {
            return done(new Point(x + await(i(dx)), y));
        }
    }

    /** An enum with @Async methods, including an abstract-per-constant one. */
    public enum Op {
        ADD {
            @Async
            @Override
            Coroutine<Integer> apply(int a, int b) {
                return done(await(i(a)) + b);
            }
        },
        MUL {
            @Async
            @Override
            Coroutine<Integer> apply(int a, int b) {
                return done(a * await(i(b)));
            }
        };

        abstract Coroutine<Integer> apply(int a, int b);

        @Async
        Coroutine<String> label() {
            return done(await(v(name().toLowerCase())));
        }
    }

    @Async
    public static Coroutine<String> entry() {
        Greeter g = () -> "world";
        String greeting = await(g.greet("hello"));
        Kinds outer = new Kinds();
        Inner inner = outer.new Inner();
        String in = await(inner.describe());
        Supplier<Coroutine<String>> anonymous = new Supplier<>() {
            @Async
            @Override
            public Coroutine<String> get() {
                return done("anon" + await(v(1)));
            }
        };
        String anon = await(anonymous.get());
        final class Local {
            final int k;

            Local(int k) {
                this.k = k;
            }

            @Async
            Coroutine<Integer> twice() {
                return done(await(i(k)) * 2);
            }
        }
        int local = await(new Local(21).twice());
        String nested = await(new Box.Nested<String>().combine(new Box<>("u"), 3));
        Point p = await(new Point(1, 2).moved(10));
        int add = await(Op.ADD.apply(2, 3));
        int mul = await(Op.MUL.apply(2, 3));
        String label = await(Op.MUL.label());
        return done(String.join(";", greeting, in, anon, String.valueOf(local), nested, p.toString(),
                String.valueOf(add), String.valueOf(mul), label));
    }
}
