package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.taskGroup;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.TaskGroupException;
import java.time.Duration;

/**
 * Structured concurrency: three tasks in a {@code taskGroup}. When one fails, the group cancels
 * the other two (each sees a {@link CancelledError} at its await and can clean up), waits for
 * them, and throws a {@link TaskGroupException} holding the failure.
 */
public final class TaskGroupFailure {
    private TaskGroupFailure() {
    }

    @Async
    static Coroutine<String> step(String name, long millis) {
        try {
            await(sleep(Duration.ofMillis(millis)));
            System.out.println(name + ": done");
            return done(name);
        } catch (CancelledError e) {
            System.out.println(name + ": cancelled, cleaning up");
            throw e;
        }
    }

    @Async
    static Coroutine<String> failing(String name, long millis) {
        await(sleep(Duration.ofMillis(millis)));
        System.out.println(name + ": failing");
        throw new IllegalStateException(name + " is down");
    }

    /**
     * @return the example
     */
    @Async
    public static Coroutine<Void> checkout() {
        double start = loop().time();
        try {
            await(taskGroup(group -> {
                group.spawn(step("reserve stock", 1_000));
                group.spawn(failing("charge card", 100));
                group.spawn(step("send e-mail", 2_000));
                return done();
            }));
            System.out.println("checkout complete (not printed)");
        } catch (TaskGroupException e) {
            System.out.printf("checkout failed after %.1f seconds: %s%n", loop().time() - start, e.exceptions());
        }
        return done();
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        Coro.run(checkout());
    }
}
