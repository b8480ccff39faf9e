package it.single;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import java.util.List;

public final class Main {
    private Main() {
    }

    @Async
    static Coroutine<Integer> run() {
        List<Object> squares = await(gather(Squares.square(1), Squares.square(2), Squares.square(3)));
        System.out.println("squares " + squares);
        try {
            await(Squares.failing("boom"));
        } catch (IllegalArgumentException e) {
            System.out.println("caught " + e.getMessage());
        }
        int total = 0;
        for (int i = 1; i <= 3; i++) {
            total += await(Squares.square(i));
        }
        System.out.println("total " + total + " on " + Thread.currentThread().getName());
        return done(total);
    }

    public static void main(String[] args) {
        Coro.run(run());
        System.out.println("end");
    }
}
