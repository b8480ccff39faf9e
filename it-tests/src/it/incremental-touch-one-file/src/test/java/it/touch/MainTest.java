package it.touch;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Task;
import org.junit.jupiter.api.Test;

class MainTest {
    @Async
    static Coroutine<Integer> runTwiceConcurrently() {
        Task<Integer> first = spawn(Main.run());
        Task<Integer> second = spawn(Main.run());
        return done(await(first) + await(second));
    }

    @Test
    void runReturnsTheSum() {
        assertEquals(10, Coro.run(Main.run()));
    }

    @Test
    void twoRunsInterleaveOnOneLoop() {
        assertEquals(20, Coro.run(runTwiceConcurrently()));
    }
}
