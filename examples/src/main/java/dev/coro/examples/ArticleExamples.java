package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.time.Duration;

/**
 * The article's three asyncio examples in Java, plus the variant where the cancelled task
 * re-throws. CPython 3.13 prints the same lines (conformance scenarios 01-04).
 *
 * <pre>
 * java -jar coro-examples.jar gather-count task-error cancel-swallowed cancel-reraised
 * </pre>
 */
public final class ArticleExamples {
    private ArticleExamples() {
    }

    // ---------------------------------------------------------------- 1. gather

    @Async
    static Coroutine<Void> count() {
        System.out.print("One ");  // print("One", end=" ")
        await(sleep(Duration.ofSeconds(1)));
        System.out.print("Two ");
        return done();
    }

    /**
     * Three {@code count()} coroutines gathered: {@code One One One Two Two Two} on one line (the
     * article's {@code print(..., end=" ")}), in about one
     * second (the sleeps overlap), not three.
     *
     * @return the example
     */
    @Async
    public static Coroutine<Void> gatherCount() {
        double start = loop().time();
        await(gather(count(), count(), count()));
        System.out.println();
        System.out.printf("executed in %.1f seconds.%n", loop().time() - start);
        return done();
    }

    // ---------------------------------------------------------------- 2. an exception in a task

    @Async
    static Coroutine<Void> faultyTask() {
        System.out.println("faulty task: started");
        await(sleep(Duration.ofMillis(100)));
        throw new IllegalArgumentException("Something went wrong!");
    }

    /**
     * A task that throws: the exception is kept in the task and thrown again, unchanged, where the
     * task is awaited, so an ordinary try/catch handles it.
     *
     * @return the example
     */
    @Async
    public static Coroutine<Void> taskError() {
        double start = loop().time();
        Task<Void> task = spawn(faultyTask());
        try {
            await(task);
        } catch (IllegalArgumentException e) {
            System.out.println("Caught an error: " + e.getMessage());
            System.out.println("same object as task.exception(): " + (e == task.exception()));
        }
        System.out.printf("elapsed %.1f seconds.%n", loop().time() - start);
        return done();
    }

    // ---------------------------------------------------------------- 3. cancellation, swallowed

    @Async
    static Coroutine<Void> longRunningTaskThatSwallows() {
        try {
            System.out.println("Task started");
            await(sleep(Duration.ofSeconds(10)));
            System.out.println("Task finished"); // never printed
        } catch (CancelledError e) {
            System.out.println("Task was cancelled!");
        }
        return done();
    }

    /**
     * A sleeping task cancelled after one second catches {@link CancelledError} and does not throw
     * it again. As in CPython, the task then simply ends: {@code main} sees a normal completion and
     * does NOT print "Caught cancellation in main".
     *
     * @return the example
     */
    @Async
    public static Coroutine<Void> cancelSwallowed() {
        double start = loop().time();
        Task<Void> task = spawn(longRunningTaskThatSwallows());
        await(sleep(Duration.ofSeconds(1)));
        task.cancel();
        try {
            await(task);
            System.out.println("main: the task swallowed the cancellation and returned normally");
        } catch (CancelledError e) {
            System.out.println("Caught cancellation in main"); // not printed: the task swallowed it
        }
        System.out.println("task.isCancelled(): " + task.isCancelled());
        System.out.printf("elapsed %.1f seconds.%n", loop().time() - start);
        return done();
    }

    // ---------------------------------------------------------------- 4. cancellation, re-thrown

    @Async
    static Coroutine<Void> longRunningTaskThatRethrows() {
        try {
            System.out.println("Task started");
            await(sleep(Duration.ofSeconds(10)));
        } catch (CancelledError e) {
            System.out.println("Task was cancelled!");
            throw e;
        }
        return done();
    }

    /**
     * The same, but the task throws the {@link CancelledError} again: now the task is cancelled
     * and {@code main} prints "Caught cancellation in main".
     *
     * @return the example
     */
    @Async
    public static Coroutine<Void> cancelReraised() {
        double start = loop().time();
        Task<Void> task = spawn(longRunningTaskThatRethrows());
        await(sleep(Duration.ofSeconds(1)));
        task.cancel("stop please");
        try {
            await(task);
        } catch (CancelledError e) {
            System.out.println("Caught cancellation in main: " + e.getMessage());
        }
        System.out.println("task.isCancelled(): " + task.isCancelled());
        System.out.printf("elapsed %.1f seconds.%n", loop().time() - start);
        return done();
    }

    /**
     * Runs the four examples one after the other, each on a new event loop.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Coro.run(gatherCount());
        Coro.run(taskError());
        Coro.run(cancelSwallowed());
        Coro.run(cancelReraised());
    }
}
