package na;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.Task;
import java.time.Duration;

/** Never-awaited coroutines: each line marked "// never" must be reported, no other. */
public class Calls {
    static Coroutine<Integer> fetch(String url) {
        return done(url.length());
    }

    static Task<Integer> task() {
        return null;
    }

    static Promise<Integer> promise() {
        return null;
    }

    /** Not @Async: plain code calling coroutine methods. */
    static void plain() {
        fetch("a"); // never
        Coro.sleep(Duration.ofSeconds(1)); // never
        Coro.done(1);
        Coro.done();
        task();
        promise();
        Coroutine<Integer> kept = fetch("kept");
        System.out.println(kept);
        new Calls().member(); // never
    }

    Coroutine<Void> member() {
        return done();
    }

    /** An @Async method that forgets one await. */
    @Async
    static Coroutine<Integer> async() {
        fetch("b"); // never
        int n = await(fetch("c"));
        Coro.spawn(fetch("d"));
        return done(n);
    }

    /** A test that expects the call to throw: not reported. */
    static void expectsThrow() {
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> fetch(null));
        Runnable notATest = () -> fetch("x"); // never
        notATest.run();
    }

    /** An async lambda that forgets one. */
    static Runnable lambda() {
        return () -> {
            fetch("e"); // never
        };
    }
}
