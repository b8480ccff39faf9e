package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;

/**
 * Await sites on known lines, for the {@code @AwaitSites} metadata: a comment {@code // method@k}
 * at the end of a line says that the await site of {@code method} storing state {@code k} is on that line
 * (MetadataTest reads these comments from this file, so lines can move freely).
 */
public final class Metadata {
    private Metadata() {
    }

    /** Straight-line awaits, two on one statement. */
    @Async
    public static Coroutine<Integer> straight() {
        int a = await(v(1)); // straight@1
        int b = await(v(2)) // straight@2
                + await(v(3)); // straight@3
        return done(a + b);
    }

    /** An await in a loop: one site, whatever the number of iterations. */
    @Async
    public static Coroutine<Integer> loop(int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += await(v(i)); // loop@1
        }
        return done(sum + await(v(100))); // loop@2
    }

    /** javac copies the finally block (after the try body, after the catch, and in the handler for
     * any other exception): each copy of its await is a site of its own, numbered in code order. */
    @Async
    public static Coroutine<String> tryFinally(boolean fail) {
        StringBuilder out = new StringBuilder();
        try {
            out.append(await(v("t"))); // tryFinally@1
            if (fail) {
                throw new IllegalStateException("x");
            }
        } catch (IllegalStateException e) {
            out.append(await(v("c"))); // tryFinally@3
        } finally {
            out.append(await(v("f"))); // tryFinally@2 tryFinally@4 tryFinally@5
        }
        return done(out.toString());
    }

    /** Many live locals: with sharing forced, the sites share a chain. */
    @Async
    public static Coroutine<Long> chain() {
        long a = 1;
        int b = 2;
        String c = "c";
        double d = 4;
        long x = await(v(5L)); // chain@1
        int y = await(v(6)); // chain@2
        long z = await(v(7L)); // chain@3
        return done(a + b + c.length() + (long) d + x + y + z);
    }

    /** An instance method and a lambda. */
    @Async
    public Coroutine<Integer> instance() {
        java.util.function.Supplier<Coroutine<Integer>> lambda = () -> {
            int r = await(v(41)); // lambda$instance$0@1
            return done(r + 1);
        };
        return done(await(lambda.get())); // instance@1
    }

    /** No await at all: no sites. */
    @Async
    public static Coroutine<Integer> none() {
        return done(7);
    }

    /** @Async static and default methods of an interface. */
    public interface Service {
        /** A static @Async method. */
        @Async
        static Coroutine<Integer> make() {
            return done(await(v(3))); // make@1
        }

        /** A default @Async method. */
        @Async
        default Coroutine<Integer> twice() {
            int x = await(v(4)); // twice@1
            return done(x * 2);
        }
    }

    /** An enum with an @Async method (its static initializer already exists). */
    public enum Color {
        RED, GREEN;

        /** @return the ordinal, after an await */
        @Async
        public Coroutine<Integer> slow() {
            return done(await(v(ordinal()))); // slow@1
        }

        /** @return RED's ordinal */
        @Async
        public static Coroutine<Integer> red() {
            return done(await(RED.slow())); // red@1
        }
    }

    /** A record with an @Async method. */
    public record Point(int x, int y) {
        /** @return x + y, after an await */
        @Async
        public Coroutine<Integer> sum() {
            return done(x + await(v(y))); // sum@1
        }

        /** @return (1, 2).sum() */
        @Async
        public static Coroutine<Integer> of12() {
            return done(await(new Point(1, 2).sum())); // of12@1
        }
    }
}

