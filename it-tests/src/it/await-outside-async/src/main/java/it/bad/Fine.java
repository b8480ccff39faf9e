package it.bad;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.time.Duration;

public final class Fine {
    private Fine() {
    }

    @Async
    public static Coroutine<Void> nap() {
        await(sleep(Duration.ofMillis(1)));
        return done();
    }
}
