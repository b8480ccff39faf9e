package it.touch;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import java.util.List;

/** The source file that invoker.properties touches between the first and the third build. */
public final class Main {
    private Main() {
    }

    @Async
    static Coroutine<Integer> run() {
        List<Object> results = await(gather(Greeter.greet("coro"), Counter.sumTo(3)));
        System.out.println(results.get(0));
        int count = (Integer) results.get(1);
        System.out.println("count " + count);
        int sum = await(Adder.add(count, 4));
        System.out.println("sum " + sum);
        return done(sum);
    }

    public static void main(String[] args) {
        Coro.run(run());
        System.out.println("end");
    }
}
