package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;

import dev.coro.Async;
import dev.coro.Coroutine;

/** No lambdas, no indy string concatenation: the test turns it into a Java 5 class file (no frames). */
public final class OldStyle {
    private OldStyle() {
    }

    @Async
    public static Coroutine<Integer> sum(int n) {
        int total = 0;
        for (int k = 0; k < n; k++) {
            try {
                total += await(i(k));
            } catch (IllegalStateException e) {
                total = -1000;
            }
        }
        return done(Integer.valueOf(total));
    }
}
