package dev.coro;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Structured concurrency (asyncio's {@code TaskGroup}), the handle given to the body of
 * {@link Coro#taskGroup}: tasks spawned with {@link #spawn} are all done when the block ends.
 * The first child that fails cancels the other children and the body; the block then throws a
 * {@link TaskGroupException} with every error. An outside cancellation of the parent cancels all
 * children and is re-thrown as {@link CancelledError} (unless a child failed).
 */
public final class TaskGroup {
    private final EventLoop loop;
    private final Task<?> parent;
    private boolean exiting;
    private boolean aborting;
    private boolean parentCancelRequested;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private Promise<Boolean> onCompleted;
    private final Consumer<Promise<?>> onTaskDone = this::onTaskDone;

    TaskGroup(EventLoop loop, Task<?> parent) {
        if (parent == null) {
            throw new IllegalStateException("Coro.taskGroup() must run inside a task");
        }
        this.loop = loop;
        this.parent = parent;
    }

    /**
     * Spawns {@code coroutine} as a child task of the group.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task
     * @throws IllegalStateException if the group is finished or shutting down (after a child
     *     failed or the parent was cancelled)
     */
    public <T> Task<T> spawn(Coroutine<T> coroutine) {
        return spawn(coroutine, null);
    }

    /**
     * Spawns {@code coroutine} as a child task named {@code name}.
     *
     * @param coroutine the coroutine
     * @param name the task name, or null
     * @param <T> its result type
     * @return the task
     * @throws IllegalStateException if the group is finished or shutting down
     */
    public <T> Task<T> spawn(Coroutine<T> coroutine, String name) {
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished: spawn children inside its block");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down: a child failed or the"
                    + " parent was cancelled, so no new task is accepted");
        }
        Task<T> task = loop.spawn(coroutine, name);
        tasks.add(task);
        task.addDoneCallback(onTaskDone);
        return task;
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : new ArrayList<>(tasks)) {
            if (!t.isDone()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Promise<?> task) {
        tasks.remove(task);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.isDone()) {
            onCompleted.completeResult(Boolean.TRUE);
        }
        if (task.isCancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (parent.isDone()) {
            loop.callExceptionHandler(EventLoop.errorContext("Task " + task
                    + " has errored out but its parent task " + parent + " is already completed", exc, "task", task));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("<TaskGroup");
        if (!tasks.isEmpty()) {
            b.append(" tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            b.append(" errors=").append(errors.size());
        }
        b.append(aborting ? " cancelling" : " entered");
        return b.append('>').toString();
    }

    // ---------------------------------------------------------------- the block's exit (__aexit__)

    /** State of the exit of the block, driven by {@link Combinators}' task group coroutine. */
    private CancelledError propagateCancellation;
    private Throwable bodyError;
    private boolean exitStarted;

    void startExit(Throwable error) {
        exitStarted = true;
        exiting = true;
        bodyError = error;
        if (error instanceof CancelledError) {
            propagateCancellation = (CancelledError) error;
        }
        if (error != null && !aborting) {
            abort();
        }
    }

    boolean exitStarted() {
        return exitStarted;
    }

    /**
     * @return the promise to await while children are running, or null when none is left
     */
    Promise<Boolean> nextCompletion() {
        if (tasks.isEmpty()) {
            return null;
        }
        if (onCompleted == null) {
            onCompleted = loop.createPromise();
        }
        return onCompleted;
    }

    /** The await on {@link #nextCompletion()} returned or threw {@code error}. */
    void completionAwaited(Throwable error) {
        if (error instanceof CancelledError && !aborting) {
            propagateCancellation = (CancelledError) error;
            abort();
        } else if (error != null && !(error instanceof CancelledError)) {
            throw dev.coro.internal.Sneaky.rethrow(error);
        }
        onCompleted = null;
    }

    /** All children are done: the block's outcome. */
    Object finishExit(Object bodyValue) {
        CancelledError propagate = propagateCancellation;
        if (parentCancelRequested && parent.uncancel() == 0) {
            propagate = null;
        }
        if (propagate != null && errors.isEmpty()) {
            throw propagate;
        }
        if (bodyError != null && !(bodyError instanceof CancelledError)) {
            errors.add(bodyError);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                parent.uncancel();
                parent.cancel();
            }
            throw new TaskGroupException("unhandled errors in a TaskGroup", errors);
        }
        return bodyValue;
    }
}
