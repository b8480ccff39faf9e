package it.lib;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import org.junit.jupiter.api.Test;

class SquaresTest {
    /** @Async in a test class: rewritten by coro:instrument-test. */
    @Async
    static Coroutine<Integer> sumOfSquares(int n) {
        int sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += await(Squares.square(i));
        }
        return done(sum);
    }

    @Test
    void sumOfSquares() {
        assertEquals(14, Coro.run(sumOfSquares(3)));
    }

    @Test
    void failingThrowsTheSameException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Coro.run(Squares.failing("x")));
        assertEquals("x", e.getMessage());
    }
}
