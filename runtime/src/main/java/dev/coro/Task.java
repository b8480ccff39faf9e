package dev.coro;

import dev.coro.internal.AsyncTraces;
import dev.coro.internal.CoroutineNames;
import dev.coro.internal.FrameAccess;
import dev.coro.internal.TaskAccess;
import dev.coro.spi.Frame;
import java.util.concurrent.CompletionStage;

/**
 * A coroutine running on an event loop (asyncio's {@code Task}); made by {@link Coro#spawn} or
 * {@link EventLoop#spawn}. A task is a {@link Promise} of its coroutine's outcome: await it to get
 * the result.
 *
 * <h2>Life cycle</h2>
 * <pre>
 * | event                          | what happens                                                       |
 * |--------------------------------|--------------------------------------------------------------------|
 * | spawn                          | first step scheduled: it runs one loop iteration later             |
 * | step                           | the innermost suspended coroutine resumes; when it returns, its    |
 * |                                | caller continues in the same step (a loop, never recursion)        |
 * | await of a pending promise     | the task waits; the promise's completion schedules the next step   |
 * | cancel(msg) while waiting      | the awaited promise is cancelled; CancelledError(msg) is delivered |
 * |                                | at the await in the next step                                      |
 * | cancel(msg) otherwise          | "must cancel": the next step delivers CancelledError (before the   |
 * |                                | first line if the task has not started)                            |
 * | coroutine returns v            | result v (cancelled instead if a cancel is still pending)          |
 * | coroutine throws CancelledError| the task is cancelled                                              |
 * | coroutine throws e             | the task fails with e                                              |
 * </pre>
 * A task that catches the {@link CancelledError} and returns is not cancelled. {@link #cancelling()}
 * counts cancel requests (never reset by a swallow); {@link #uncancel()} decrements it.
 *
 * @param <T> the coroutine's result type
 */
public final class Task<T> extends Promise<T> {
    /** Inline {@code await coroutine} calls per task step before trampolining through the driver. */
    static final int MAX_INLINE_DEPTH = 48;

    static final FrameAccess FRAMES = FrameAccess.get();

    static {
        TaskAccess.install(new Driver());
    }

    // What the task waits for (`waiter`) and its timer (`timerState`, `timerSequence`):
    //
    // | waiter             | timerState          | meaning                                            |
    // |--------------------|---------------------|----------------------------------------------------|
    // | null               | NONE                | running, or a step is scheduled (first step, yield)|
    // | a Promise / Task   | NONE                | waiting for it; its completion schedules the step  |
    // | SLEEPING or Sleep  | IN_HEAP             | sleeping: this task is in the timer heap, entry    |
    // |                    |                     | number timerSequence (older entries are stale)     |
    // | SLEEPING or Sleep  | IN_READY            | deadline reached: (task, FIRE) is in the ready queue|
    // | SLEEPING or Sleep  | NONE                | the timer fired (or sleep(0)): the step is scheduled|
    // | a CancelledError   | NONE                | the sleep was cancelled: the step delivers it      |
    //
    // A Sleep object is kept as waiter only for sleep(d, value) with a non-null value.
    static final Object SLEEPING = new Object();
    static final Object FIRE = new Object();
    static final byte TIMER_NONE = 0;
    static final byte TIMER_IN_HEAP = 1;
    static final byte TIMER_IN_READY = 2;

    /** The innermost frame of the coroutine chain (the one that is suspended or running). */
    private Frame<?> innermost;
    Object waiter;
    byte timerState;
    int timerSequence;
    /** asyncio's _must_cancel: deliver CancelledError at the next step. */
    private boolean mustCancel;
    private int cancelRequests;
    private final int number;
    /** The context variables this task runs with. */
    Context context;
    /** Links of the loop's list of tasks that are not done. */
    Task<?> previousLive;
    Task<?> nextLive;

    Task(EventLoop loop, Frame<T> root, String name, Context context, int number) {
        super(loop);
        this.innermost = root;
        if (name != null) {
            extras().name = name;
        }
        this.context = context;
        this.number = number;
        FRAMES.setOwner(root, this);
    }

    /**
     * @return the task's name ({@code Task-N} unless set)
     */
    public String getName() {
        Extras e = extras;
        return e != null && e.name != null ? e.name : "Task-" + number;
    }

    /**
     * @param name the new name
     */
    public void setName(String name) {
        extras().name = name;
    }

    /**
     * @return the number of cancel requests not yet withdrawn by {@link #uncancel()}
     */
    public int cancelling() {
        return cancelRequests;
    }

    /**
     * Withdraws one cancel request (never below 0); when none is left, a pending "must cancel"
     * is dropped too. Works on done tasks.
     *
     * @return the remaining number of cancel requests
     */
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /**
     * Requests cancellation: a {@link CancelledError} carrying {@code message} is delivered to the
     * coroutine at its current await (or before its first line). The coroutine may catch it.
     *
     * <p>From another thread the request is delivered on the loop thread (through
     * {@link EventLoop#callSoonThreadsafe}) and the result is the truth at the moment of the
     * call: true if the task was not done then. A task that finishes before the request arrives
     * ignores it, just as a task may finish after an on-loop cancel by catching the error.
     *
     * @param message the message, or null
     * @return false if the task is already done
     */
    @Override
    public boolean cancel(String message) {
        if (!loop.inLoop()) {
            if (isDone()) {
                return false;
            }
            return hop(() -> cancel(message));
        }
        retrieved();
        if (state != PENDING) {
            return false;
        }
        cancelRequests++;
        Object w = waiter;
        if (w instanceof Promise) {
            if (((Promise<?>) w).cancel(message)) {
                // Leave the waiter: it may be a task that swallows the cancellation.
                return true;
            }
        } else if (cancelSleep(message)) {
            return true;
        }
        // The next step is already scheduled (or the task waits on a promise that is done).
        mustCancel = true;
        setCancelMessage(message);
        return true;
    }

    /**
     * Refused: a task's result is set by its coroutine.
     *
     * @param value ignored
     * @throws IllegalStateException always
     */
    @Override
    public void setResult(T value) {
        throw new IllegalStateException("setResult() on " + this
                + ": a task's result is set by its coroutine; use a Promise to set results by hand");
    }

    /**
     * Refused: a task's exception is set by its coroutine.
     *
     * @param exception ignored
     * @throws IllegalStateException always
     */
    @Override
    public void setException(Throwable exception) {
        throw new IllegalStateException("setException() on " + this
                + ": a task's outcome is set by its coroutine; use a Promise to set outcomes by hand");
    }

    /**
     * Describes the task as asyncio does, with the place a pending task is at: its innermost
     * coroutine and the line of the await it is suspended at (or the method's first line before
     * it starts), e.g. {@code <Task pending name='sleeper' at com.acme.Deep.level5(Deep.java:18)>};
     * without the rewriter's await-site lines, {@code ... at com.acme.Deep.level5(Deep.java) await #1>}.
     * A done task: {@code <Task finished result=42 name='x'>}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        Frame<?> f = innermost;
        String place = f == null || state != PENDING ? "" : " at " + CoroutineNames.stackLine(f);
        return "<Task " + stateName() + " name='" + getName() + "'" + place + ">";
    }

    // ---------------------------------------------------------------- introspection

    /** Bounds a walk of the coroutine chain (a racy read from another thread could see a cycle). */
    static final int MAX_STACK_DEPTH = 10_000;

    /**
     * The chain of this task's suspended coroutines, innermost first (asyncio's
     * {@code Task.get_stack()}), one line each as a JDK stack trace prints it: the method, its
     * source file and the line of the await it is suspended at, e.g.
     * {@code com.acme.Deep.level5(Deep.java:18)} ({@code ... not started} with the method's first
     * line before it runs); the root coroutine comes last. Empty once the task is done. Code
     * without the rewriter's await-site record ({@link dev.coro.spi.AwaitSites}) shows the await
     * site's number instead: {@code com.acme.Deep.level5(Deep.java) await #1}. Call it on the
     * loop thread.
     *
     * @return the stack lines, innermost first
     */
    public java.util.List<String> stack() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        Frame<?> f = innermost;
        for (int n = 0; f != null && n < MAX_STACK_DEPTH; n++) {
            lines.add(CoroutineNames.stackLine(f));
            f = FRAMES.caller(f);
        }
        return lines;
    }

    /**
     * Prints {@link #stack()} to {@code System.err} (asyncio's {@code Task.print_stack()}).
     */
    public void printStack() {
        printStack(System.err);
    }

    /**
     * Prints {@link #stack()}: a heading naming the task, then one {@code at} line per coroutine,
     * innermost first.
     *
     * @param out where to print
     */
    public void printStack(Appendable out) {
        StringBuilder text = new StringBuilder("Stack for ").append(this).append(" (innermost first):\n");
        java.util.List<String> lines = stack();
        if (lines.isEmpty()) {
            text.append("  (no coroutine: the task is done)\n");
        }
        for (String line : lines) {
            text.append("  at ").append(line).append('\n');
        }
        try {
            out.append(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** For dumps: the innermost coroutine frame, or null when done. */
    Frame<?> innermostFrame() {
        return innermost;
    }

    /** For dumps: the N of {@code Task-N}. */
    int number() {
        return number;
    }

    // ---------------------------------------------------------------- the driver

    /** Runs one step (asyncio's {@code Task.__step} plus {@code __wakeup}); called from the ready queue. */
    void step() {
        if (state != PENDING) {
            throw new IllegalStateException("step of " + this + ": it is already done");
        }
        Object value = null;
        Throwable exception = null;
        Object w = waiter;
        waiter = null;
        if (w != null && w != SLEEPING) {
            if (w instanceof Promise) {
                Promise<?> p = (Promise<?>) w;
                switch (p.state) {
                    case RESULT:
                        value = p.result;
                        break;
                    case FAILED:
                        p.retrieved();
                        exception = (Throwable) p.result;
                        break;
                    case CANCELLED:
                        exception = p.makeCancelledError();
                        break;
                    default:
                        throw new IllegalStateException("step of " + this + " while " + p + " is pending");
                }
            } else if (w instanceof CancelledError) {
                exception = (CancelledError) w;
            } else if (w instanceof Sleep) {
                value = ((Sleep<?>) w).value;
            }
        }
        if (mustCancel) {
            if (!(exception instanceof CancelledError)) {
                exception = makeCancelledError();
            }
            mustCancel = false;
        }
        EventLoop l = loop;
        Task<?> previousTask = l.currentTask;
        l.currentTask = this;
        ContextHolder holder = l.contextHolder;
        Context savedContext = holder.context;
        holder.context = context;
        try {
            run(value, exception);
        } finally {
            context = holder.context;
            holder.context = savedContext;
            l.currentTask = previousTask;
        }
    }

    private void run(Object value, Throwable exception) {
        Frame<?> f = innermost;
        for (;;) {
            Object r;
            try {
                if (f.state == 0) {
                    if (exception != null) {
                        throw exception; // never started: fail without running a line
                    }
                } else {
                    if (exception != null && AsyncTraces.ENABLED) {
                        AsyncTraces.delivered(exception, f); // the slow path only: an exception crosses an await
                    }
                    FRAMES.deliver(f, value, exception);
                }
                loop.inlineDepth = 0;
                r = FRAMES.body(f).resume(f);
            } catch (Throwable e) {
                if (AsyncTraces.ENABLED) {
                    AsyncTraces.escaped(e, f);
                }
                Frame<?> c = FRAMES.caller(f);
                if (c == null) {
                    innermost = null;
                    finishWithException(e);
                    return;
                }
                FRAMES.setCaller(f, null);
                innermost = c;
                f = c;
                value = null;
                exception = e;
                continue;
            }
            if (r == Frame.SUSPENDED) {
                if (loop.trampoline) {
                    loop.trampoline = false;
                    f = innermost;
                    value = null;
                    exception = null;
                    continue;
                }
                return;
            }
            Frame<?> c = FRAMES.caller(f);
            if (c == null) {
                innermost = null;
                finishWithResult(r);
                return;
            }
            FRAMES.setCaller(f, null);
            innermost = c;
            f = c;
            value = r;
            exception = null;
        }
    }

    private void finishWithResult(Object value) {
        if (mustCancel) {
            // Cancelled right before the coroutine returned: the result is discarded.
            mustCancel = false;
            completeCancelled(cancelMessage());
        } else {
            completeResult(value);
        }
        loop.taskDone(this);
    }

    private void finishWithException(Throwable exception) {
        if (exception instanceof CancelledError) {
            extras().cancelledException = (CancelledError) exception;
            completeCancelled(null);
        } else {
            completeException(exception, "Task");
        }
        loop.taskDone(this);
    }

    /** Starts the task: its first step runs in the next loop iteration. */
    void start() {
        loop.readyAddTask(this);
    }

    // ---------------------------------------------------------------- await slow paths

    private Object awaitFrame(Frame<?> callee, Frame<?> caller) throws Throwable {
        if (FRAMES.owner(callee) != null) {
            throw new IllegalStateException(callee + " was already awaited or spawned, and is awaited again at "
                    + CoroutineNames.callSite(caller) + ": a coroutine object runs once; call the @Async method"
                    + " again to get a new one (or spawn it once and await the Task as often as needed)");
        }
        FRAMES.setOwner(callee, this);
        FRAMES.setCaller(callee, caller);
        innermost = callee;
        if (loop.inlineDepth >= MAX_INLINE_DEPTH) {
            // Too deep on the Java stack: let the driver loop start the callee from a shallow stack.
            loop.trampoline = true;
            return Frame.SUSPENDED;
        }
        loop.inlineDepth++;
        Object r;
        try {
            r = FRAMES.body(callee).resume(callee);
        } catch (Throwable e) {
            if (AsyncTraces.ENABLED) {
                AsyncTraces.escapedInline(e, callee, caller); // it propagates into the caller's Java frame
            }
            loop.inlineDepth--;
            FRAMES.setCaller(callee, null);
            innermost = caller;
            throw e;
        }
        loop.inlineDepth--;
        if (r == Frame.SUSPENDED) {
            return r;
        }
        FRAMES.setCaller(callee, null);
        innermost = caller;
        return r;
    }

    private Object awaitPending(Promise<?> promise) {
        if (promise == this) {
            throw new IllegalStateException(this + " awaits itself: a task cannot await its own result");
        }
        if (promise.loop != loop) {
            throw new IllegalStateException(this + " awaits " + promise + " which belongs to another event loop");
        }
        promise.addCallbackEntry(this);
        waiter = promise;
        if (mustCancel && promise.cancel(cancelMessage())) {
            mustCancel = false;
        }
        return Frame.SUSPENDED;
    }

    private Object awaitSleep(Sleep<?> sleep) {
        if (sleep != Sleep.YIELD) {
            if (sleep.used) {
                throw new IllegalStateException(sleep + " was already awaited: a coroutine object runs once;"
                        + " call sleep() again to get a new one");
            }
            sleep.used = true;
        }
        waiter = sleep.value == null ? SLEEPING : sleep;
        if (sleep.delayNanos <= 0) {
            // A bare yield: the next step runs in the next iteration (cancel() cannot cancel it).
            loop.readyAddTask(this);
            return Frame.SUSPENDED;
        }
        timerState = TIMER_IN_HEAP;
        timerSequence = (int) loop.addTimer(loop.nanoTime() + sleep.delayNanos, this);
        if (mustCancel && cancelSleep(cancelMessage())) {
            mustCancel = false;
        }
        return Frame.SUSPENDED;
    }

    /** The sleep timer reached its deadline and its (task, FIRE) entry ran: wake up next iteration. */
    void fire() {
        if (timerState == TIMER_IN_READY) {
            timerState = TIMER_NONE;
            loop.readyAddTask(this);
        }
    }

    /**
     * @return true if the heap entry numbered {@code sequence} is this task's live timer
     */
    boolean isLiveTimer(long sequence) {
        // The low 32 bits suffice: a stale entry would need 2^32 newer timers to collide.
        return timerState == TIMER_IN_HEAP && timerSequence == (int) sequence;
    }

    /**
     * Cancels a pending sleep (as {@code future.cancel(msg)} on asyncio's sleep future): the next
     * step, scheduled now, delivers {@code CancelledError(message)}.
     *
     * @return false when the task is not in a pending sleep
     */
    private boolean cancelSleep(String message) {
        byte t = timerState;
        if (t == TIMER_IN_HEAP) {
            loop.timerCancelled();
        } else if (t != TIMER_IN_READY) {
            return false;
        }
        timerState = TIMER_NONE;
        waiter = message == null ? new CancelledError() : new CancelledError(message);
        loop.readyAddTask(this);
        return true;
    }

    private static final class Driver extends TaskAccess {
        @Override
        public Object awaitPromise(Promise<?> promise, Frame<?> frame) throws Throwable {
            Task<?> task = (Task<?>) FRAMES.owner(frame);
            if (task != null && promise.loop == task.loop && promise.state == RESULT) {
                // A plain read is enough here: a promise gets its result on its loop's thread
                // only, and a task runs on its loop's thread, so this thread wrote it. (The
                // acquire load in isDone() is for other threads; on the loop's own thread it
                // only keeps the JIT from hoisting the test out of a loop of awaits.)
                return promise.result;
            }
            if (promise.isDone()) {
                return promise.result();
            }
            if (task == null) {
                throw notInTask(promise, frame);
            }
            return task.awaitPending(promise);
        }

        private static IllegalStateException notInTask(Object awaited, Frame<?> frame) {
            return new IllegalStateException("await(" + awaited + ") from " + frame
                    + " which is not running in a task: spawn it or await it from a running coroutine");
        }

        @Override
        public Object await(Awaitable<?> awaitable, Frame<?> frame) throws Throwable {
            Task<?> task = (Task<?>) FRAMES.owner(frame);
            if (task == null) {
                throw notInTask(awaitable, frame);
            }
            if (awaitable instanceof Frame) {
                return task.awaitFrame((Frame<?>) awaitable, frame);
            }
            if (awaitable instanceof Sleep) {
                return task.awaitSleep((Sleep<?>) awaitable);
            }
            if (awaitable == null) {
                throw new NullPointerException("await(null) in " + frame + ": nothing to await");
            }
            throw new IllegalStateException("Cannot await " + awaitable.getClass().getName()
                    + ": only coroutines of @Async methods, Promise and Task are awaitable");
        }

        @Override
        public Object awaitStage(CompletionStage<?> stage, Frame<?> frame) throws Throwable {
            Task<?> task = (Task<?>) FRAMES.owner(frame);
            if (task == null) {
                throw notInTask(stage, frame);
            }
            // asyncio's wrap_future: if the task is cancelled while it waits, the Java future is
            // cancelled too, with cancel(true) (the JDK HttpClient then aborts the request).
            Promise<?> promise = JavaFutures.wrap(stage, task.loop);
            return Frame.await(promise, frame);
        }
    }
}
