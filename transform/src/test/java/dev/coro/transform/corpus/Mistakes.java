package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;

/** Mistakes found only at run time; each error names the method and the line (MistakesTest). */
public final class Mistakes {
    private Mistakes() {
    }

    /** @return one, after an await */
    @Async
    public static Coroutine<Integer> one() {
        return done(await(v(1)));
    }

    /** @return null: not a coroutine */
    @Async
    public static Coroutine<Integer> returnsNull() {
        int x = await(v(1));
        if (x > 0) {
            return null; // RETURNS_NULL
        }
        return done(x);
    }

    /** @return another coroutine instead of its result */
    @Async
    public static Coroutine<Integer> returnsOther() {
        await(v(1));
        return one(); // RETURNS_OTHER
    }

    /** @return the sum, but awaits one coroutine object twice */
    @Async
    public static Coroutine<Integer> awaitsTwice() {
        Coroutine<Integer> c = one();
        int a = await(c);
        int b = await(c); // AWAITS_TWICE
        return done(a + b);
    }
}
