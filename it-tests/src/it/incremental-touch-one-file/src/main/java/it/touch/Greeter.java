package it.touch;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.time.Duration;

public final class Greeter {
    private Greeter() {
    }

    @Async
    public static Coroutine<String> greet(String name) {
        await(sleep(Duration.ofMillis(20)));
        return done("hello " + name);
    }
}
