package it.touch;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.time.Duration;

public final class Counter {
    private Counter() {
    }

    /** 1 + 2 + ... + n, yielding to the loop before each step. */
    @Async
    public static Coroutine<Integer> sumTo(int n) {
        int total = 0;
        for (int i = 1; i <= n; i++) {
            await(sleep(Duration.ZERO));
            total += i;
        }
        return done(total);
    }
}
