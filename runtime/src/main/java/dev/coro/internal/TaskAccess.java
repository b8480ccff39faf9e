package dev.coro.internal;

import dev.coro.Awaitable;
import dev.coro.spi.Frame;

/**
 * {@link Frame}'s access to the task driver in {@code dev.coro}: the slow path of
 * {@link Frame#await(Awaitable, Frame)}. Installed once by {@code dev.coro.Task}'s static
 * initializer; not for application code (the package is not exported).
 */
public abstract class TaskAccess {
    private static volatile TaskAccess instance;

    /** For {@code dev.coro.Task} only. */
    protected TaskAccess() {
    }

    /**
     * Installs the implementation; called once by {@code dev.coro.Task}.
     *
     * @param access the implementation
     */
    public static void install(TaskAccess access) {
        if (instance != null) {
            throw new IllegalStateException("TaskAccess is already installed");
        }
        instance = access;
    }

    /**
     * Returns the implementation, initializing {@code dev.coro.Task} if needed.
     *
     * @return the implementation
     */
    public static TaskAccess get() {
        TaskAccess access = instance;
        if (access == null) {
            try {
                Class.forName("dev.coro.Task", true, TaskAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("dev.coro.Task is missing from the runtime", e);
            }
            access = instance;
            if (access == null) {
                throw new IllegalStateException("dev.coro.Task did not install its TaskAccess");
            }
        }
        return access;
    }

    /**
     * The slow path of {@link Frame#await(Awaitable, Frame)}: anything but a promise (see
     * {@link #awaitPromise}) or a {@code done(v)} coroutine.
     *
     * @param awaitable what is awaited
     * @param frame the frame of the awaiting coroutine
     * @return the value, or {@link Frame#SUSPENDED}
     * @throws Throwable the awaited outcome's exception
     */
    public abstract Object await(Awaitable<?> awaitable, Frame<?> frame) throws Throwable;

    /**
     * {@link Frame#await(Awaitable, Frame)} of a promise (or task): its value at once when it is
     * done, else the slow path.
     *
     * @param promise what is awaited
     * @param frame the frame of the awaiting coroutine
     * @return the value, or {@link Frame#SUSPENDED}
     * @throws Throwable the promise's exception
     */
    public abstract Object awaitPromise(dev.coro.Promise<?> promise, Frame<?> frame) throws Throwable;

    /**
     * The slow path of {@link Frame#awaitStage}: a Java future that is not complete yet.
     *
     * @param stage the future
     * @param frame the frame of the awaiting coroutine
     * @return the value, or {@link Frame#SUSPENDED}
     * @throws Throwable the future's exception
     */
    public abstract Object awaitStage(java.util.concurrent.CompletionStage<?> stage, Frame<?> frame)
            throws Throwable;
}
