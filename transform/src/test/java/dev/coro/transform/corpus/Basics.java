package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;

import dev.coro.Async;
import dev.coro.Coroutine;

/** Straight-line code: one await, several, values in locals and on the stack. */
public final class Basics {
    private Basics() {
    }

    @Async
    public static Coroutine<Integer> one() {
        int a = await(i(41));
        return done(a + 1);
    }

    @Async
    public static Coroutine<String> several(String prefix, int n) {
        String s = prefix;
        int x = await(i(n));
        s = s + x;
        long big = 1L << 40;
        double d = 0.5;
        int y = await(i(x + 1));
        return done(s + ":" + (big + y) + ":" + (d * y));
    }

    @Async
    public static Coroutine<Integer> onStack(int a) {
        return done(a + await(i(10)) * (a + await(i(20))));
    }

    @Async
    public static Coroutine<Void> noAwait() {
        return done();
    }
}
