package it.single;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.time.Duration;

public final class Squares {
    private Squares() {
    }

    /** Sleeps (4 - x) * 40 ms, so that square(3) ends first when they run together. */
    @Async
    public static Coroutine<Integer> square(int x) {
        await(sleep(Duration.ofMillis((4 - x) * 40L)));
        System.out.println("square " + x);
        return done(x * x);
    }

    @Async
    public static Coroutine<Integer> failing(String message) {
        await(sleep(Duration.ZERO));
        throw new IllegalArgumentException(message);
    }
}
