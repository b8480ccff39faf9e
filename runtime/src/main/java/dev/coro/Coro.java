package dev.coro;

import dev.coro.internal.Completed;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * The static facade: Python's {@code asyncio} module. {@code import static dev.coro.Coro.*;}
 *
 * <pre>{@code
 * @Async static Coroutine<Void> count() {
 *     System.out.print("One ");
 *     await(sleep(Duration.ofSeconds(1)));
 *     System.out.print("Two ");
 *     return done();
 * }
 *
 * @Async static Coroutine<Void> main() {
 *     await(gather(count(), count(), count()));      // One One One Two Two Two, in 1 s
 *     return done();
 * }
 *
 * public static void main(String[] args) { Coro.run(main()); }
 * }</pre>
 */
public final class Coro {
    private Coro() {
    }

    // ---------------------------------------------------------------- await (placeholders)

    /**
     * Waits for {@code awaitable} and returns its value, or throws its exception unchanged. The
     * only suspension point: in an {@code @Async} method the rewriter replaces this call.
     *
     * @param awaitable a coroutine, promise or task
     * @param <T> the value type
     * @return the value
     * @throws IllegalStateException always, when it actually runs: the calling method was not
     *     rewritten (it is not {@code @Async}, or the build did not run the coro-maven-plugin and
     *     the agent is not active). It never blocks.
     */
    public static <T> T await(Awaitable<T> awaitable) {
        throw notRewritten();
    }

    /**
     * Waits for a Java future; its completion on any thread resumes the task on its loop thread.
     * Rewritten like {@link #await(Awaitable)}.
     *
     * @param stage the future
     * @param <T> the value type
     * @return the value
     * @throws IllegalStateException always, when it actually runs (see {@link #await(Awaitable)})
     */
    public static <T> T await(CompletionStage<T> stage) {
        throw notRewritten();
    }

    /**
     * Like {@link #await(Awaitable)}, declaring that the awaited coroutine may throw the checked
     * exception {@code E}, so the caller can catch it: {@code await(read(), IOException.class)}.
     *
     * @param awaitable a coroutine, promise or task
     * @param exceptionType the checked exception the caller wants to catch
     * @param <T> the value type
     * @param <E> the exception type
     * @return the value
     * @throws E the awaited exception
     * @throws IllegalStateException always, when it actually runs (see {@link #await(Awaitable)})
     */
    public static <T, E extends Throwable> T await(Awaitable<T> awaitable, Class<E> exceptionType) throws E {
        throw notRewritten();
    }

    private static IllegalStateException notRewritten() {
        String where = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Coro.class.getName()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName()
                        + (f.getFileName() != null ? " (" + f.getFileName() + ":" + f.getLineNumber() + ")" : ""))
                .orElse("an unknown method"));
        return new IllegalStateException("await() called in " + where + " which was not rewritten: mark it @Async"
                + " and build with the coro-maven-plugin (or run with -javaagent:coro-agent.jar)");
    }

    // ---------------------------------------------------------------- done

    /**
     * Ends an {@code @Async} method with a value: {@code return done(value);}. Also an already
     * finished coroutine that may be awaited any number of times.
     *
     * @param value the value
     * @param <T> the value type
     * @return a finished coroutine
     */
    @SuppressWarnings("unchecked")
    public static <T> Coroutine<T> done(T value) {
        return value == null ? (Coroutine<T>) Completed.NULL : new Completed<>(value);
    }

    /**
     * Ends an {@code @Async} method without a value: {@code return done();}.
     *
     * @param <T> the (void) type
     * @return a coroutine finished with null
     */
    @SuppressWarnings("unchecked")
    public static <T> Coroutine<T> done() {
        return (Coroutine<T>) Completed.NULL;
    }

    // ---------------------------------------------------------------- run, spawn, sleep

    /**
     * Runs {@code main} on a new event loop and returns its result (asyncio's {@code run}): when
     * {@code main} finishes, the tasks still running are cancelled and awaited (errors they raise
     * while unwinding go to the exception handler), the default executor is shut down and waited
     * for, and the loop is closed.
     *
     * @param main the main coroutine
     * @param <T> the result type
     * @return main's result (or throws main's exception, unchanged)
     * @throws IllegalStateException if called from a running event loop
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, EventLoop.create());
    }

    /**
     * Like {@link #run(Coroutine)} on the given (new, not running) loop, e.g.
     * {@link EventLoop#virtualTime()}; the loop is closed at the end.
     *
     * @param main the main coroutine
     * @param loop the loop to use
     * @param <T> the result type
     * @return main's result (or throws main's exception, unchanged)
     * @throws IllegalStateException if called from a running event loop
     */
    public static <T> T run(Coroutine<T> main, EventLoop loop) {
        if (EventLoop.running() != null) {
            throw new IllegalStateException("Coro.run() cannot be called from a running event loop:"
                    + " await the coroutine (or spawn it) instead");
        }
        try {
            return loop.runUntilComplete(main);
        } finally {
            try {
                Runner.cancelAllTasks(loop);
                loop.shutdownDefaultExecutor(Duration.ofMinutes(5));
            } finally {
                loop.close();
            }
        }
    }

    /**
     * Spawns {@code coroutine} as a task on the running loop (asyncio's {@code create_task}); its
     * first step runs in the next loop iteration.
     *
     * @param coroutine the coroutine
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException with no running loop, or if the coroutine was already awaited
     *     or spawned
     */
    public static <T> Task<T> spawn(Coroutine<T> coroutine) {
        return loop().spawn(coroutine, null);
    }

    /**
     * Spawns {@code coroutine} as a task named {@code name}.
     *
     * @param coroutine the coroutine
     * @param name the task's name
     * @param <T> the result type
     * @return the task
     * @throws IllegalStateException with no running loop, or if the coroutine was already awaited
     *     or spawned
     */
    public static <T> Task<T> spawn(Coroutine<T> coroutine, String name) {
        return loop().spawn(coroutine, name);
    }

    /**
     * Returns a coroutine that waits for {@code delay}. {@code Duration.ZERO} (or negative) yields
     * exactly one loop iteration, like {@code asyncio.sleep(0)}; a positive delay resumes the
     * task in the iteration after the one in which the deadline is reached.
     *
     * @param delay how long
     * @return the coroutine (one-shot)
     */
    public static Coroutine<Void> sleep(Duration delay) {
        return new Sleep<>(EventLoop.saturatedNanos(delay), null);
    }

    /**
     * Like {@link #sleep(Duration)}, then returns {@code value}.
     *
     * @param delay how long
     * @param value the value to return
     * @param <T> the value type
     * @return the coroutine (one-shot)
     */
    public static <T> Coroutine<T> sleep(Duration delay, T value) {
        return new Sleep<>(EventLoop.saturatedNanos(delay), value);
    }

    // ---------------------------------------------------------------- introspection

    /**
     * @return the running loop
     * @throws IllegalStateException when no loop is running on this thread
     */
    public static EventLoop loop() {
        EventLoop l = EventLoop.running();
        if (l == null) {
            throw new IllegalStateException("Coro.loop() called with no running event loop on thread "
                    + Thread.currentThread().getName() + ": call it from a coroutine or a callback running on"
                    + " a loop (Coro.run(...) or loop.runUntilComplete(...))");
        }
        return l;
    }

    /**
     * @return the task running now, or null when called from a plain callback
     * @throws IllegalStateException when no loop is running on this thread
     */
    public static Task<?> currentTask() {
        return loop().currentTask();
    }

    /**
     * @return the running loop's tasks that are not done, in spawn order
     * @throws IllegalStateException when no loop is running on this thread
     */
    public static Set<Task<?>> allTasks() {
        return loop().allTasks();
    }

    /**
     * Runs {@code callable} on the loop's default executor, in a copy of the caller's
     * {@link ContextVar}s (asyncio's {@code to_thread}). Cancelling the returned promise does not
     * stop a job that already runs.
     *
     * @param callable the blocking job
     * @param <T> the result type
     * @return a promise of the job's outcome
     * @throws IllegalStateException when no loop is running on this thread
     */
    public static <T> Promise<T> toThread(Callable<T> callable) {
        return loop().runInExecutor(null, ContextVar.inCurrentContext(callable));
    }
}
