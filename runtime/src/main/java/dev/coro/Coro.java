package dev.coro;

import dev.coro.internal.Completed;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
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

    /**
     * Like {@link #await(CompletionStage)}, declaring that the future may fail with the checked
     * exception {@code E}, so the caller can catch it:
     * {@code await(client.sendAsync(request, ofString()), IOException.class)}.
     *
     * @param stage the future
     * @param exceptionType the checked exception the caller wants to catch
     * @param <T> the value type
     * @param <E> the exception type
     * @return the value
     * @throws E the future's exception (unwrapped from {@code CompletionException})
     * @throws IllegalStateException always, when it actually runs (see {@link #await(Awaitable)})
     */
    public static <T, E extends Throwable> T await(CompletionStage<T> stage, Class<E> exceptionType) throws E {
        throw notRewritten();
    }

    private static IllegalStateException notRewritten() {
        StackWalker.StackFrame caller = dev.coro.spi.Unrewritten.WALKER.walk(frames -> frames
                .filter(f -> f.getDeclaringClass() != Coro.class)
                .findFirst().orElse(null));
        if (caller != null && dev.coro.spi.Unrewritten.unrewritten(caller.getDeclaringClass())) {
            // an @Async method that was not rewritten (not a plain method awaiting by mistake)
            return new IllegalStateException(dev.coro.spi.Unrewritten.message(caller.getDeclaringClass(),
                    "await() called"));
        }
        String where = caller == null ? "an unknown method" : caller.getClassName() + "." + caller.getMethodName()
                + "(" + (caller.getFileName() != null ? caller.getFileName() + ":" + caller.getLineNumber()
                : "Unknown Source") + ")";
        return new IllegalStateException("await() called in " + where + ", which was not rewritten: mark it @Async"
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
        if (dev.coro.spi.Unrewritten.CHECK_DONE) {
            dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "done");
        }
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
        if (dev.coro.spi.Unrewritten.CHECK_DONE) {
            dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "done");
        }
        return (Coroutine<T>) Completed.NULL;
    }

    // ---------------------------------------------------------------- run, spawn, sleep

    /**
     * Runs {@code main} on a new event loop and returns its result (asyncio's {@code run}): when
     * {@code main} finishes, the tasks still running are cancelled and awaited (errors they raise
     * while unwinding go to the exception handler), the default executor is shut down and waited
     * for, and the loop is closed.
     *
     * <p>Ctrl-C (SIGINT) behaves as with {@code asyncio.Runner}: the first one cancels the main
     * task, so its {@code finally} blocks run and servers close, then the shutdown above runs and
     * the JVM exits as on an unhandled Ctrl-C (status 130, shutdown hooks run) unless {@code main}
     * swallowed the cancellation; a second Ctrl-C exits at once. This holds while the JVM's own
     * SIGINT handler is in place (not with {@code -Xrs}, nor when the application installed its own)
     * and for one {@code Coro.run} at a time.
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
        return Runner.run(main, loop);
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
        long nanos = EventLoop.saturatedNanos(delay);
        return nanos <= 0 ? Sleep.YIELD : new Sleep<>(nanos, null);
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

    // ---------------------------------------------------------------- combinators

    /**
     * Runs the awaitables concurrently (coroutines are spawned as tasks, in argument order) and
     * returns a promise of their results in argument order (asyncio's {@code gather}). The first
     * child exception (or child cancellation, as {@link CancelledError}) completes the promise at
     * once; the other children are not cancelled. Cancelling the returned promise cancels the
     * children that are not done. A duplicate argument runs once and appears twice in the results.
     *
     * @param awaitables coroutines, promises or tasks
     * @return the promise of the results
     * @throws IllegalStateException with no running loop (unless a promise is given)
     */
    public static Promise<List<Object>> gather(Awaitable<?>... awaitables) {
        return Combinators.gather(Arrays.asList(awaitables), false);
    }

    /**
     * Like {@link #gather(Awaitable...)} but exceptions (and cancelled children, as
     * {@code CancelledError}) are put in the result list instead of completing the promise early.
     *
     * @param awaitables coroutines, promises or tasks
     * @return the promise of the results and exceptions
     */
    public static Promise<List<Object>> gatherReturnExceptions(Awaitable<?>... awaitables) {
        return Combinators.gather(Arrays.asList(awaitables), true);
    }

    /**
     * Typed {@link #gather(Awaitable...)} over a list of awaitables of one type.
     *
     * @param awaitables coroutines, promises or tasks
     * @param <T> the result type
     * @return the promise of the results, in order
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> Promise<List<T>> gather(List<? extends Awaitable<? extends T>> awaitables) {
        return (Promise) Combinators.gather(awaitables, false);
    }

    /**
     * {@link #gatherReturnExceptions(Awaitable...)} over a list.
     *
     * @param awaitables coroutines, promises or tasks
     * @return the promise of the results and exceptions, in order
     */
    public static Promise<List<Object>> gatherReturnExceptions(List<? extends Awaitable<?>> awaitables) {
        return Combinators.gather(awaitables, true);
    }

    /**
     * Protects {@code awaitable} from the cancellation of the awaiter (asyncio's {@code shield}):
     * cancelling the task that awaits the returned promise cancels only that promise, the inner
     * task keeps running. A done awaitable is returned as is.
     *
     * @param awaitable a coroutine (spawned as a task), promise or task
     * @param <T> the result type
     * @return a promise completed like the inner one
     */
    public static <T> Promise<T> shield(Awaitable<T> awaitable) {
        return Combinators.shield(awaitable);
    }

    /**
     * Awaits {@code awaitable} with a time limit (asyncio's {@code wait_for}, 3.12+): the same as
     * {@code timeout(limit, t -> awaitable)}: a coroutine runs in the caller's task and is
     * cancelled at the deadline, which then throws {@link TimeoutException}. A null limit waits
     * forever; a zero or negative limit never starts a coroutine: it returns the result of a done
     * awaitable, or cancels it, waits for it, and throws {@link TimeoutException}.
     *
     * @param awaitable a coroutine, promise or task
     * @param limit the time limit, or null
     * @param <T> the result type
     * @return a coroutine of the result
     */
    public static <T> Coroutine<T> waitFor(Awaitable<T> awaitable, Duration limit) {
        return Combinators.waitFor(awaitable, limit);
    }

    /**
     * Runs {@code body} in the caller's task with a deadline {@code delay} from when the block
     * starts (asyncio's {@code timeout}). At the deadline the task is cancelled; if the block ends
     * with that cancellation, it throws {@link TimeoutException} (cause: the
     * {@link CancelledError}). The body gets the {@link Timeout} handle ({@code expired()},
     * {@code reschedule()}, {@code when()}).
     *
     * <pre>{@code
     * String page = await(timeout(Duration.ofSeconds(5), t -> fetch(url)));
     * }</pre>
     *
     * @param delay the time limit, or null for none
     * @param body the block: a lambda returning a coroutine (rewritten as {@code @Async} when it awaits)
     * @param <T> the result type
     * @return a coroutine of the block's result
     */
    public static <T> Coroutine<T> timeout(Duration delay, Function<? super Timeout, ? extends Coroutine<T>> body) {
        return Combinators.timeout(null, delay, body);
    }

    /**
     * Like {@link #timeout(Duration, Function)} with an absolute deadline in seconds on the loop's
     * clock ({@link EventLoop#time()}); a deadline in the past fires in the next iteration.
     *
     * @param when the deadline, or null for none
     * @param body the block
     * @param <T> the result type
     * @return a coroutine of the block's result
     */
    public static <T> Coroutine<T> timeoutAt(Double when, Function<? super Timeout, ? extends Coroutine<T>> body) {
        return Combinators.timeout(when, null, body);
    }

    /**
     * Runs {@code body} in the caller's task with a {@link TaskGroup} (asyncio's
     * {@code async with TaskGroup() as tg}); the block ends when the body and every child are
     * done. The first child failure cancels the other children and the body; the block then
     * throws {@link TaskGroupException} with all errors in order.
     *
     * <pre>{@code
     * await(taskGroup(tg -> {
     *     tg.spawn(download(a));
     *     tg.spawn(download(b));
     *     return done();
     * }));
     * }</pre>
     *
     * @param body the block: a lambda returning a coroutine
     * @param <T> the result type
     * @return a coroutine of the body's result
     */
    public static <T> Coroutine<T> taskGroup(Function<? super TaskGroup, ? extends Coroutine<T>> body) {
        return Combinators.taskGroup(body);
    }

    /**
     * Waits until the given promises/tasks satisfy {@code returnWhen} or the timeout passes
     * (asyncio's {@code wait}; named so that {@code Object.wait} does not shadow a static
     * import). Never throws {@link TimeoutException}: what is not done is in
     * {@link WaitResult#pending()}.
     *
     * @param returnWhen when to return
     * @param awaitables promises or tasks (not coroutines: spawn them first); duplicates count once
     * @param timeout the time limit, or null
     * @param <P> the awaitable type
     * @return a coroutine of the done and pending sets
     * @throws IllegalArgumentException if the collection is empty or holds a coroutine
     */
    public static <P extends Awaitable<?>> Coroutine<WaitResult<P>> waitUntil(
            ReturnWhen returnWhen, Collection<P> awaitables, Duration timeout) {
        return Combinators.waitUntil(returnWhen, awaitables, timeout);
    }

    /**
     * Returns one coroutine per awaitable; awaiting them in order gives the results in completion
     * order (asyncio's {@code as_completed}, plain iteration). Coroutines are spawned as tasks.
     *
     * <pre>{@code
     * for (Coroutine<String> next : asCompleted(tasks, null)) {
     *     String first = await(next);
     * }
     * }</pre>
     *
     * @param awaitables coroutines, promises or tasks
     * @param timeout the time limit for all of them, or null; after it, the remaining coroutines
     *     throw {@link TimeoutException}
     * @param <T> the result type
     * @return the coroutines, one per distinct awaitable
     */
    public static <T> List<Coroutine<T>> asCompleted(Collection<? extends Awaitable<? extends T>> awaitables,
            Duration timeout) {
        return Combinators.asCompleted(awaitables, timeout);
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
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "toThread");
        return loop().runInExecutor(null, ContextVar.inCurrentContext(callable));
    }

    // ---------------------------------------------------------------- streams

    /**
     * Connects to {@code host:port} and returns the stream pair (asyncio's {@code open_connection}):
     * <pre>{@code
     * Connection c = await(openConnection("127.0.0.1", 8888));
     * c.writer().write("hello\n".getBytes());
     * byte[] line = await(c.reader().readLine());
     * }</pre>
     * A refused connection throws {@link java.net.ConnectException} (catch it with
     * {@code await(openConnection(...), IOException.class)}).
     *
     * @param host a host name or address literal
     * @param port the port
     * @return the coroutine of the connection
     */
    public static Coroutine<dev.coro.io.Connection> openConnection(String host, int port) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "openConnection");
        return dev.coro.io.Streams.openConnection(host, port, dev.coro.io.StreamOptions.defaults());
    }

    /**
     * Like {@link #openConnection(String, int)} with options (the reader's limit).
     *
     * @param host a host name or address literal
     * @param port the port
     * @param options the options
     * @return the coroutine of the connection
     */
    public static Coroutine<dev.coro.io.Connection> openConnection(String host, int port, dev.coro.io.StreamOptions options) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "openConnection");
        return dev.coro.io.Streams.openConnection(host, port, options);
    }

    /**
     * Starts a stream server (asyncio's {@code start_server}): {@code handler} runs as a task per
     * connection, and the connection is closed when it ends.
     * <pre>{@code
     * @Async static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
     *     byte[] line;
     *     while ((line = await(reader.readLine())).length > 0) {
     *         writer.write(line);
     *         await(writer.drain());
     *     }
     *     return done();
     * }
     * Server server = await(startServer(Echo::echo, "127.0.0.1", 8888));
     * await(server.serveForever());
     * }</pre>
     *
     * @param handler the connection handler
     * @param host the address to bind, or null for all
     * @param port the port (0: any free port, see {@link dev.coro.io.Server#addresses()})
     * @return the coroutine of the server
     */
    public static Coroutine<dev.coro.io.Server> startServer(dev.coro.io.ConnectionHandler handler, String host, int port) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "startServer");
        return dev.coro.io.Streams.startServer(handler, host, port, dev.coro.io.StreamOptions.defaults());
    }

    /**
     * Like {@link #startServer(dev.coro.io.ConnectionHandler, String, int)} with options.
     *
     * @param handler the connection handler
     * @param host the address to bind, or null for all
     * @param port the port
     * @param options limit, backlog, reuseAddress, startServing
     * @return the coroutine of the server
     */
    public static Coroutine<dev.coro.io.Server> startServer(dev.coro.io.ConnectionHandler handler, String host, int port,
            dev.coro.io.StreamOptions options) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "startServer");
        return dev.coro.io.Streams.startServer(handler, host, port, options);
    }

    /**
     * Connects to a Unix domain socket (asyncio's {@code open_unix_connection}).
     *
     * @param path the socket file
     * @return the coroutine of the connection
     */
    public static Coroutine<dev.coro.io.Connection> openUnixConnection(java.nio.file.Path path) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "openUnixConnection");
        return dev.coro.io.Streams.openUnixConnection(path, dev.coro.io.StreamOptions.defaults());
    }

    /**
     * Starts a stream server on a Unix domain socket (asyncio's {@code start_unix_server}).
     *
     * @param handler the connection handler
     * @param path the socket file (a stale one is replaced; removed on close)
     * @return the coroutine of the server
     */
    public static Coroutine<dev.coro.io.Server> startUnixServer(dev.coro.io.ConnectionHandler handler, java.nio.file.Path path) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "startUnixServer");
        return dev.coro.io.Streams.startUnixServer(handler, path, dev.coro.io.StreamOptions.defaults());
    }

    /**
     * Upgrades a stream connection to TLS (asyncio's {@code StreamWriter.start_tls}): as the
     * server if the connection came from {@link #startServer}, else as the client.
     *
     * @param writer the connection's writer; it and its reader carry plaintext over TLS afterwards
     * @param context the TLS context
     * @return the coroutine, done when the handshake is; an {@link javax.net.ssl.SSLException} if it fails
     */
    public static Coroutine<Void> startTls(dev.coro.io.StreamWriter writer, javax.net.ssl.SSLContext context) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "startTls");
        return writer.startTls(dev.coro.io.StreamOptions.defaults().ssl(context));
    }

    /**
     * Like {@link #startTls(dev.coro.io.StreamWriter, javax.net.ssl.SSLContext)} with settings
     * (server name, ALPN, handshake timeout) from {@code options}.
     *
     * @param writer the connection's writer
     * @param context the TLS context
     * @param options the TLS settings
     * @return the coroutine
     */
    public static Coroutine<Void> startTls(dev.coro.io.StreamWriter writer, javax.net.ssl.SSLContext context,
            dev.coro.io.StreamOptions options) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "startTls");
        return writer.startTls(options.ssl(context));
    }

    // ---------------------------------------------------------------- races

    /**
     * Runs attempts with staggered starts (asyncio's {@code staggered_race}): the first starts
     * at once; each next one starts when the previous fails or after {@code delay}; the first to
     * succeed wins and the others are cancelled. Happy Eyeballs is built on it.
     *
     * @param attempts makes each attempt, in order (called only when it starts)
     * @param delay the stagger, or null to start the next only when the previous failed
     * @param <T> the result type
     * @return a promise of the winner's result and index (null when all failed) and each
     *     attempt's exception
     */
    public static <T> Promise<StaggeredRaceResult<T>> staggeredRace(
            List<? extends java.util.function.Supplier<? extends Coroutine<? extends T>>> attempts, Duration delay) {
        return dev.coro.internal.io.StaggeredRace.start(loop(), attempts, delay, null);
    }

    // ---------------------------------------------------------------- threads and Java futures

    /**
     * Wraps a Java future in a promise of the running loop (asyncio's {@code wrap_future}), so it
     * can go into {@link #gather}, {@link #waitUntil}, {@link #shield} or a task group's awaits.
     * The future may complete on any thread; the promise completes on the loop thread. Cancelling
     * either cancels the other: a cancelled promise calls {@code cancel(true)} on the future (a
     * {@link java.util.concurrent.Future}, else on its {@code toCompletableFuture()}); a future
     * cancelled elsewhere cancels the promise. {@code CompletionException} and
     * {@code ExecutionException} are unwrapped. {@code await(future)} does the same for one
     * await: cancelling the awaiting task cancels the future.
     *
     * <pre>{@code
     * Promise<HttpResponse<String>> a = wrap(client.sendAsync(requestA, ofString()));
     * Promise<HttpResponse<String>> b = wrap(client.sendAsync(requestB, ofString()));
     * WaitResult<Promise<HttpResponse<String>>> first = await(waitUntil(FIRST_COMPLETED, List.of(a, b), null));
     * }</pre>
     *
     * @param stage the Java future
     * @param <T> the value type
     * @return a promise on the running loop
     * @throws IllegalStateException with no running loop on this thread
     */
    public static <T> Promise<T> wrap(CompletionStage<T> stage) {
        return JavaFutures.wrap(stage, loop());
    }

    /**
     * Submits {@code coroutine} to {@code loop} from another thread (asyncio's
     * {@code run_coroutine_threadsafe}): the entry point for servlet, gRPC or Netty threads. The
     * coroutine is spawned as a task in the loop's next iteration; the returned future completes
     * with the task's outcome (its exception unchanged, cancelled if the task was). Cancelling the
     * future cancels the task (a request delivered on the loop; the task may still clean up). Do
     * not block on the future from the loop's own thread: the loop could not run the task.
     *
     * <pre>{@code
     * // on a servlet thread:
     * String page = Coro.runCoroutineThreadsafe(render(id), loop).get(5, TimeUnit.SECONDS);
     * }</pre>
     *
     * @param coroutine the coroutine (not awaited or spawned before)
     * @param loop the loop, running on another thread
     * @param <T> the result type
     * @return the future of the task's outcome
     * @throws IllegalStateException if the loop is closed
     */
    public static <T> java.util.concurrent.CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine,
            EventLoop loop) {
        return JavaFutures.runCoroutineThreadsafe(coroutine, loop);
    }

    // ---------------------------------------------------------------- subprocesses

    /**
     * Starts a program with its arguments (asyncio's {@code create_subprocess_exec}), its stdin,
     * stdout and stderr piped (see {@link dev.coro.io.Subprocess} for how the pipes are pumped):
     * <pre>{@code
     * Subprocess p = await(createSubprocessExec("ls", "-l"));
     * Subprocess.Output out = await(p.communicate(null));
     * System.out.print(out.stdoutText() + " exit " + p.returnCode());
     * }</pre>
     *
     * @param command the program and its arguments
     * @return the coroutine of the process; it throws {@link java.io.IOException} if the program
     *     cannot be started
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static Coroutine<dev.coro.io.Subprocess> createSubprocessExec(String... command) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "createSubprocessExec");
        return dev.coro.io.Subprocess.exec(List.of(command), dev.coro.io.SubprocessOptions.defaults());
    }

    /**
     * Like {@link #createSubprocessExec(String...)} with options (redirects, working directory,
     * environment, the readers' limit).
     *
     * @param options the options
     * @param command the program and its arguments
     * @return the coroutine of the process
     */
    public static Coroutine<dev.coro.io.Subprocess> createSubprocessExec(dev.coro.io.SubprocessOptions options,
            String... command) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "createSubprocessExec");
        return dev.coro.io.Subprocess.exec(List.of(command), options);
    }

    /**
     * Runs a command line with {@code /bin/sh -c} (asyncio's {@code create_subprocess_shell});
     * quote whatever comes from outside.
     *
     * @param command the shell command line
     * @return the coroutine of the process
     */
    public static Coroutine<dev.coro.io.Subprocess> createSubprocessShell(String command) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "createSubprocessShell");
        return dev.coro.io.Subprocess.shell(command, dev.coro.io.SubprocessOptions.defaults());
    }

    /**
     * Like {@link #createSubprocessShell(String)} with options.
     *
     * @param command the shell command line
     * @param options the options
     * @return the coroutine of the process
     */
    public static Coroutine<dev.coro.io.Subprocess> createSubprocessShell(String command,
            dev.coro.io.SubprocessOptions options) {
        dev.coro.spi.Unrewritten.check(dev.coro.spi.Unrewritten.WALKER.getCallerClass(), "createSubprocessShell");
        return dev.coro.io.Subprocess.shell(command, options);
    }

    // ---------------------------------------------------------------- seeing inside (issue 11)

    /**
     * Runs {@code main} as {@link #run(Coroutine)} does, on a new loop in debug mode when
     * {@code debug} is true (asyncio's {@code asyncio.run(main, debug=True)}): slow callbacks and
     * steps are logged with the coroutine they ran, loop-confined calls from other threads fail,
     * coroutines collected without being awaited or spawned are reported with where they were
     * made, and task dumps show the time since each task's last step.
     *
     * @param main the main coroutine
     * @param debug debug mode on or off (off still honours {@code -Dcoro.debug} / {@code CORO_DEBUG})
     * @param <T> the result type
     * @return its result
     */
    public static <T> T run(Coroutine<T> main, boolean debug) {
        EventLoop loop = EventLoop.create();
        if (debug) {
            loop.setDebug(true);
        }
        return run(main, loop);
    }

    /**
     * Writes every live task of the running loop, for people (see {@link EventLoop#dumpTasks}):
     * name, state, cancel requests, its suspended coroutines innermost first, what it waits on,
     * who awaits it, and the task tree.
     *
     * @param out where to write
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static void dumpTasks(Appendable out) {
        loop().dumpTasks(out);
    }

    /**
     * Writes the same as {@link #dumpTasks} as JSON, schema {@code "coro-task-dump/1"}.
     *
     * @param out where to write
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static void dumpTasksJson(Appendable out) {
        loop().dumpTasksJson(out);
    }
}
