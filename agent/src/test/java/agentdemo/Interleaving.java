package agentdemo;

import static dev.coro.Coro.await;
import static dev.coro.Coro.currentTask;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.time.Duration;
import java.util.List;

/**
 * Compiled without the Coro plugin: only the agent can make it work. Three coroutines interleave
 * ("one" three times, then "two" three times), which only happens if each await suspended its
 * coroutine and the loop ran the others, all on the thread that called {@code Coro.run}.
 */
public final class Interleaving {
    private Interleaving() {
    }

    @Async
    static Coroutine<String> count(String name) {
        System.out.println(name + " one on " + Thread.currentThread().getName());
        await(sleep(Duration.ofMillis(20)));
        System.out.println(name + " two on " + Thread.currentThread().getName() + " in task " + (currentTask() != null));
        return done(name);
    }

    @Async
    static Coroutine<List<String>> all() {
        Task<String> a = spawn(count("a"));
        Task<String> b = spawn(count("b"));
        Task<String> c = spawn(count("c"));
        return done(List.of(await(a), await(b), await(c)));
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        List<String> results = Coro.run(all());
        System.out.println("gathered " + results + " on " + Thread.currentThread().getName());
    }
}
