package dev.coro;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Java futures and other threads: {@link Coro#wrap} (asyncio's {@code wrap_future}), the
 * {@code await(CompletionStage)} slow path, and {@link Coro#runCoroutineThreadsafe} (asyncio's
 * {@code run_coroutine_threadsafe}).
 */
final class JavaFutures {
    private JavaFutures() {
    }

    /**
     * A promise on {@code loop} that follows {@code stage}; cancelling either cancels the other.
     * Loop thread. The stage may complete on any thread; its outcome reaches the promise on the
     * loop thread (at once when the stage completes there).
     *
     * <pre>
     * | stage ends with           | the promise                                     |
     * |---------------------------|-------------------------------------------------|
     * | a value                   | has the value                                   |
     * | an exception              | fails with it, CompletionException and          |
     * |                           | ExecutionException unwrapped                    |
     * | a CancellationException   | is cancelled                                    |
     * | (the promise is cancelled)| stage.cancel(true) (a Future), or its           |
     * |                           | toCompletableFuture().cancel(true)              |
     * </pre>
     */
    static <T> Promise<T> wrap(CompletionStage<T> stage, EventLoop loop) {
        if (stage == null) {
            throw new NullPointerException("wrap(null): pass the CompletionStage to wrap");
        }
        loop.checkThread("wrap");
        Promise<T> promise = new Promise<>(loop);
        loop.outsideWorkStarted();
        // Order is important here: the cancel link is registered before the stage can complete the
        // promise, so a stage that is already done (whenComplete runs in place) finds it.
        promise.addDoneCallback(p -> {
            if (p.isCancelled()) {
                cancelStage(stage);
            }
        });
        stage.whenComplete((value, error) -> loop.runOnLoop(() -> {
            loop.outsideWorkEnded();
            if (promise.isDone()) {
                return; // cancelled meanwhile
            }
            if (error == null) {
                promise.completeResult(value);
                return;
            }
            Throwable e = unwrap(error);
            if (e instanceof CancellationException) {
                promise.cancel(e.getMessage());
            } else {
                promise.completeException(e, "Promise");
            }
        }));
        return promise;
    }

    /** Cancels a Java future as asyncio's {@code wrap_future} does: {@code cancel(True)}, interrupting. */
    private static void cancelStage(CompletionStage<?> stage) {
        if (stage instanceof Future) {
            ((Future<?>) stage).cancel(true);
            return;
        }
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException e) {
            // A stage that cannot be cancelled: it runs to its end; the promise is cancelled anyway.
        }
    }

    private static Throwable unwrap(Throwable error) {
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    /**
     * Submits {@code coroutine} to {@code loop} from any thread; see {@link Coro#runCoroutineThreadsafe}.
     *
     * <p>The task is spawned in a callback on the loop. The future and the task are linked both
     * ways: the task's outcome completes the future; cancelling the future cancels the task once.
     * Races between the two threads, as a case list:
     * <ul>
     *   <li>the future is cancelled before the callback runs: the callback sees it and never spawns
     *   the coroutine (OK: it never ran);</li>
     *   <li>the future is cancelled while the callback spawns: the callback publishes the task, then
     *   looks at the future; the canceller cancels the future, then looks at the task. Both are
     *   volatile (the task field, the future's state), so at least one of them sees the other, and
     *   {@code delivered} lets only one of them cancel the task (OK: exactly one request);</li>
     *   <li>the task finishes as the future is cancelled: the future keeps whichever came first;
     *   the task ignores a cancel request that arrives after its end (OK).</li>
     * </ul>
     */
    static <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine, EventLoop loop) {
        if (coroutine == null || loop == null) {
            throw new NullPointerException("runCoroutineThreadsafe(" + coroutine + ", " + loop
                    + "): pass a coroutine and the loop to run it on");
        }
        ThreadsafeFuture<T> future = new ThreadsafeFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (future.isDone()) {
                return; // cancelled before it started
            }
            Task<T> task;
            try {
                task = loop.spawn(coroutine);
            } catch (Throwable e) {
                future.completeExceptionally(e);
                throw e;
            }
            future.task = task;
            if (future.isCancelled()) {
                future.deliverCancel();
            }
            task.addDoneCallback(t -> {
                if (t.isCancelled()) {
                    future.cancel(false);
                } else {
                    Throwable e = t.exception();
                    if (e != null) {
                        future.completeExceptionally(e);
                    } else {
                        future.complete(t.result());
                    }
                }
            });
        });
        return future;
    }

    /** The future of {@link #runCoroutineThreadsafe}: its cancel cancels the task. */
    private static final class ThreadsafeFuture<T> extends CompletableFuture<T> {
        volatile Task<T> task;
        private final AtomicBoolean delivered = new AtomicBoolean();

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && task != null) {
                deliverCancel();
            }
            return cancelled;
        }

        void deliverCancel() {
            if (delivered.compareAndSet(false, true)) {
                task.cancel(); // thread-safe: a request delivered on the loop thread
            }
        }
    }
}
