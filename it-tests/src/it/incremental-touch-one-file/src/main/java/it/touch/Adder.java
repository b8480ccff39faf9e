package it.touch;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.time.Duration;

public final class Adder {
    private Adder() {
    }

    @Async
    public static Coroutine<Integer> add(int a, int b) {
        await(sleep(Duration.ofMillis(10)));
        return done(a + b);
    }
}
