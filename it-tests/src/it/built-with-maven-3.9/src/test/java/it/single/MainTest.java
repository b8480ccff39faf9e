package it.single;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import org.junit.jupiter.api.Test;

class MainTest {
    @Async
    static Coroutine<Integer> twice() {
        return done(await(Main.run()) + await(Main.run()));
    }

    @Test
    void runTwice() {
        assertEquals(28, Coro.run(twice()));
    }
}
