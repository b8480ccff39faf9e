package dev.coro;

import dev.coro.internal.Sneaky;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A value that will be set later, on one event loop (asyncio's {@code Future}). Await it from a
 * coroutine with {@code await(promise)}; complete it with {@link #setResult}, {@link #setException}
 * or {@link #cancel()}.
 *
 * <h2>States</h2>
 * <pre>
 * | state     | isDone | isCancelled | result()                        | exception()        |
 * |-----------|--------|-------------|---------------------------------|--------------------|
 * | pending   | false  | false       | IllegalStateException           | IllegalStateException |
 * | result    | true   | false       | the value                       | null               |
 * | failed    | true   | false       | throws the exception, unchanged | the exception      |
 * | cancelled | true   | true        | throws CancelledError           | throws CancelledError |
 * </pre>
 * A promise leaves "pending" once. Done callbacks are never run in place: completing a promise
 * (or adding a callback to a done one) schedules each callback with {@link EventLoop#callSoon} in
 * registration order.
 *
 * <h2>Threads</h2>
 * A promise belongs to its loop's thread, except for these, which work from any thread:
 * <ul>
 *   <li>{@link #isDone}, {@link #isCancelled}, {@link #result}, {@link #exception}: once another
 *   thread sees the promise done, it sees its value or exception too (the state is published
 *   with release/acquire ordering).</li>
 *   <li>{@link #cancel()}: a plain promise is cancelled at once, atomically, and the result is the
 *   truth: true means this call cancelled it and it stays cancelled, false means it was already
 *   done. Its done callbacks are then scheduled on the loop. (A {@link Task}'s cancel is a
 *   request delivered on the loop; see {@link Task#cancel(String)}.)</li>
 *   <li>{@link #setResult}, {@link #setException}: they hop to the loop with
 *   {@link EventLoop#callSoonThreadsafe}; a promise that is done by then makes them fail there,
 *   reported to the loop's exception handler (as asyncio's
 *   {@code call_soon_threadsafe(fut.set_result, v)} does).</li>
 *   <li>{@link #toCompletableFuture}: the future completes when the promise does.</li>
 * </ul>
 * Done callbacks always run on the loop thread.
 *
 * <p>A failed promise whose exception nobody retrieved ({@link #result()}, {@link #exception()},
 * or an {@code await}) is reported to the loop's exception handler ("exception was never
 * retrieved") when it is garbage-collected or when its loop closes.
 *
 * @param <T> the value's type
 */
public class Promise<T> implements Awaitable<T> {
    // Encoding of `state`: PENDING -> RESULT | FAILED | CANCELLED, once; cancel() passes through
    // CANCELLING while it writes the message.
    //
    // | state      | written by                        | readers see                          |
    // |------------|-----------------------------------|--------------------------------------|
    // | PENDING    | the constructor                   | pending                              |
    // | CANCELLING | cancel(): CAS from PENDING (any   | pending (the canceller owns `extras` |
    // |            | thread; a Task never gets there)  | until it publishes CANCELLED)        |
    // | RESULT     | completeResult: on the loop       | done; `result` is the value          |
    // | FAILED     | completeException: on the loop    | done; `result` is the Throwable      |
    // | CANCELLED  | cancel() or completeCancelled     | done; the message is in `extras`     |
    //
    // Memory ordering. The loop thread reads and writes `state` plainly where only it can write
    // (a Task's state; a promise it just saw done). Leaving PENDING goes through publish(): every
    // field a reader needs (`result`, `extras`) is written before the state, with release
    // semantics, and the public readers (isDone, result, exception, isCancelled) load the state
    // with acquire semantics; so a thread that sees a promise done sees its value. On x86 a
    // release store and an acquire load are plain moves: the single-thread path pays nothing
    // for them. A plain promise leaves PENDING by compare-and-set, because another thread's
    // cancel() may race with the loop's completion:
    //   (BAD) the loop reads PENDING, another thread cancels and returns true, the loop writes
    //         RESULT: the canceller was told a lie;
    //   (OK)  both compare-and-set from PENDING: exactly one wins; the loser sees the promise done.
    // A Task's state is written by its loop only (Task.cancel is a request delivered on the loop),
    // so a Task publishes with a release store and no compare-and-set: task completion, the hot
    // path, costs no atomic instruction.
    static final byte PENDING = 0;
    static final byte RESULT = 1;
    static final byte FAILED = 2;
    static final byte CANCELLED = 3;
    static final byte CANCELLING = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Promise.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    byte state;
    /** The value (RESULT) or the Throwable (FAILED). */
    Object result;
    /** null, one callback (a Task or a Consumer), or an ArrayList of them, in registration order. */
    private Object callbacks;
    /** Rarely used fields (cancel message, saved CancelledError, failure report, task name), made on demand. */
    Extras extras;

    /** The fields most promises never need, kept out of line to keep a waiting task small. */
    static final class Extras {
        /** The message given to cancel(msg); also a task's pending cancel message. */
        String cancelMessage;
        /** The CancelledError that ended a task, delivered once by makeCancelledError(). */
        CancelledError cancelledException;
        /** Non-null while a failure has not been retrieved. */
        dev.coro.internal.FailureTracker.Report report;
        /** A task's name, when set. */
        String name;
    }

    final Extras extras() {
        Extras e = extras;
        if (e == null) {
            extras = e = new Extras();
        }
        return e;
    }

    /**
     * @return the cancel message (asyncio's {@code _cancel_message}), or null
     */
    final String cancelMessage() {
        Extras e = extras;
        return e == null ? null : e.cancelMessage;
    }

    final void setCancelMessage(String message) {
        if (message != null || extras != null) {
            extras().cancelMessage = message;
        }
    }

    Promise(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * @return the loop this promise belongs to
     */
    public final EventLoop loop() {
        return loop;
    }

    /**
     * @return true once a result, an exception or a cancellation was set
     */
    public final boolean isDone() {
        byte s = acquireState();
        return s != PENDING && s != CANCELLING;
    }

    /**
     * @return true if the promise was cancelled
     */
    public final boolean isCancelled() {
        return acquireState() == CANCELLED;
    }

    /** The state, loaded with acquire semantics: what it publishes is visible (see {@code state}). */
    final byte acquireState() {
        return (byte) STATE.getAcquire(this);
    }

    /**
     * Returns the value; marks a failure as retrieved.
     *
     * @return the value
     * @throws CancelledError if the promise was cancelled
     * @throws IllegalStateException if the promise is still pending
     * (also throws the exception the promise failed with, unchanged, even a checked one)
     */
    @SuppressWarnings("unchecked")
    public final T result() {
        byte s = acquireState();
        if (s == RESULT) {
            return (T) result;
        }
        if (s == FAILED) {
            retrievedFromAnyThread();
            throw Sneaky.rethrow((Throwable) result);
        }
        if (s == CANCELLED) {
            throw cancelledErrorFromAnyThread();
        }
        throw new IllegalStateException("result() of " + this + ": it is still pending; await it first");
    }

    /**
     * Returns the exception the promise failed with, or null if it has a value; marks a failure as
     * retrieved.
     *
     * @return the exception or null
     * @throws CancelledError if the promise was cancelled
     * @throws IllegalStateException if the promise is still pending
     */
    public final Throwable exception() {
        byte s = acquireState();
        if (s == FAILED) {
            retrievedFromAnyThread();
            return (Throwable) result;
        }
        if (s == RESULT) {
            return null;
        }
        if (s == CANCELLED) {
            throw cancelledErrorFromAnyThread();
        }
        throw new IllegalStateException("exception() of " + this + ": it is still pending; await it first");
    }

    /**
     * Sets the value and schedules the done callbacks.
     *
     * @param value the value
     * @throws IllegalStateException if the promise is already done
     */
    public void setResult(T value) {
        if (!loop.inLoop()) {
            loop.callSoonThreadsafe(() -> setResult(value));
            return;
        }
        if (!completeResult(value)) {
            throw new IllegalStateException("setResult() on " + this + ": it is already done");
        }
    }

    /**
     * Sets the exception and schedules the done callbacks.
     *
     * @param exception the exception (a {@link CancelledError} is stored as an exception; use
     *     {@link #cancel()} to cancel)
     * @throws IllegalStateException if the promise is already done
     * @throws NullPointerException if {@code exception} is null
     */
    public void setException(Throwable exception) {
        if (exception == null) {
            throw new NullPointerException("setException(null) on " + this + ": pass the exception to store");
        }
        if (!loop.inLoop()) {
            loop.callSoonThreadsafe(() -> setException(exception));
            return;
        }
        if (!completeException(exception, "Promise")) {
            throw new IllegalStateException("setException() on " + this + ": it is already done");
        }
    }

    /**
     * Cancels the promise and schedules the done callbacks.
     *
     * @return false if it was already done
     */
    public final boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the promise with a message carried by the {@link CancelledError} its awaiters get.
     * Works from any thread: the promise is cancelled atomically when the call returns true, and
     * its done callbacks are scheduled on the loop (at once on the loop thread, through
     * {@link EventLoop#callSoonThreadsafe} from another thread).
     *
     * @param message the message, or null
     * @return true if this call cancelled the promise; false if it was already done (or another
     *     thread's cancel came first)
     */
    public boolean cancel(String message) {
        boolean onLoop = loop.inLoop();
        if (onLoop) {
            retrieved();
        }
        if (!STATE.compareAndSet(this, PENDING, CANCELLING)) {
            return false;
        }
        // Order is important here: the message is written while this thread owns the promise
        // (CANCELLING) and before CANCELLED publishes it; the callbacks are the loop's.
        setCancelMessage(message);
        STATE.setRelease(this, CANCELLED);
        if (onLoop) {
            scheduleCallbacks();
        } else {
            loop.runOnLoop(this::scheduleCallbacks);
        }
        return true;
    }

    /**
     * Adds a callback run (on the loop, through {@code callSoon}) when the promise is done; if it
     * is done already, the callback is scheduled now. The callback runs in the {@link ContextVar}
     * values of the code that added it (asyncio's {@code context=copy_context()}).
     *
     * @param callback receives this promise
     */
    public final void addDoneCallback(Consumer<? super Promise<T>> callback) {
        if (callback == null) {
            throw new NullPointerException("addDoneCallback(null) on " + this);
        }
        loop.checkThread("addDoneCallback");
        Object entry = loop.inContext(callback);
        if (isDone() && callbacks == null) {
            loop.readyAdd(entry, this);
        } else {
            // Pending, or cancelled by another thread whose hop has not scheduled the earlier
            // callbacks yet: join them, so that callbacks still run in registration order.
            addCallbackEntry(entry);
        }
    }

    /**
     * Removes every registration of {@code callback} (compared with {@code equals}).
     *
     * @param callback the callback
     * @return how many registrations were removed
     */
    public final int removeDoneCallback(Consumer<? super Promise<T>> callback) {
        Object cbs = callbacks;
        if (cbs == null) {
            return 0;
        }
        if (cbs instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            ArrayList<Object> list = (ArrayList<Object>) cbs;
            int before = list.size();
            list.removeIf(e -> EventLoop.callbackOf(e).equals(callback));
            int removed = before - list.size();
            if (list.isEmpty()) {
                callbacks = null;
            }
            return removed;
        }
        if (EventLoop.callbackOf(cbs).equals(callback)) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    /**
     * Returns a Java future completed like this promise: with the value, the exception
     * (unchanged), or cancelled. Cancelling the returned future (from any thread) cancels this
     * promise. May be called from any thread: a done promise gives a done future at once; a
     * pending one completes the future from the loop thread when it is done. On a closed loop a
     * pending promise never completes, so the future fails at once with
     * {@link IllegalStateException}.
     *
     * @return the future
     */
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled) {
                    Promise.this.cancel();
                }
                return cancelled;
            }
        };
        if (isDone()) {
            copyTo(future);
        } else if (loop.inLoop()) {
            addDoneCallback(p -> copyTo(future));
        } else if (!hop(() -> addDoneCallback(p -> copyTo(future)))) {
            future.completeExceptionally(new IllegalStateException("toCompletableFuture() of " + this
                    + ": its event loop is closed, so it will never complete"));
        }
        return future;
    }

    @SuppressWarnings("unchecked")
    private void copyTo(CompletableFuture<T> future) {
        byte s = acquireState();
        if (s == CANCELLED) {
            future.cancel(false);
        } else if (s == FAILED) {
            retrievedFromAnyThread();
            future.completeExceptionally((Throwable) result);
        } else {
            future.complete((T) result);
        }
    }

    /**
     * Runs {@code action} on the loop thread (now, when called there).
     *
     * @return false if the loop is closed, so the action will never run
     */
    final boolean hop(Runnable action) {
        if (loop.inLoop()) {
            action.run();
            return true;
        }
        try {
            loop.callSoonThreadsafe(action);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "<Promise " + stateName() + ">";
    }

    final String stateName() {
        switch (state) {
            case PENDING: return "pending";
            case RESULT: return "finished result=" + result;
            case FAILED: return "finished exception=" + result;
            default: return "cancelled";
        }
    }

    // ---------------------------------------------------------------- runtime internals

    /** asyncio's {@code _make_cancelled_error}: the saved error once, then fresh ones. */
    final CancelledError makeCancelledError() {
        Extras e = extras;
        if (e != null && e.cancelledException != null) {
            CancelledError saved = e.cancelledException;
            e.cancelledException = null;
            return saved;
        }
        String message = cancelMessage();
        return message == null ? new CancelledError() : new CancelledError(message);
    }

    /**
     * {@link #retrieved()} from any thread: the failure tracking is the loop's, so another
     * thread's retrieval is recorded there (a loop that closes first reports the failure).
     */
    private void retrievedFromAnyThread() {
        if (loop.inLoop()) {
            retrieved();
        } else {
            hop(this::retrieved);
        }
    }

    /**
     * {@link #makeCancelledError()} from any thread: another thread gets a fresh error with the
     * message and leaves the saved one (a task's own CancelledError) to the loop.
     */
    private CancelledError cancelledErrorFromAnyThread() {
        if (loop.inLoop()) {
            return makeCancelledError();
        }
        Extras e = extras;
        String message = e == null ? null
                : e.cancelledException != null ? e.cancelledException.getMessage() : e.cancelMessage;
        return message == null ? new CancelledError() : new CancelledError(message);
    }

    /** Marks a failure as retrieved (asyncio's {@code __log_traceback = False}). */
    final void retrieved() {
        Extras e = extras;
        if (e != null && e.report != null) {
            dev.coro.internal.FailureTracker.Report r = e.report;
            e.report = null;
            loop.retire(r);
        }
    }

    /**
     * Loop thread: sets the value and schedules the callbacks.
     *
     * @return false if the promise was done already (another thread's cancel may have come
     *     first since the caller looked)
     */
    final boolean completeResult(Object value) {
        assert loop.inLoop();
        if (state != PENDING) {
            // Only the loop writes RESULT and FAILED, so this plain read sees them. A stale
            // PENDING while another thread cancels is caught by the compare-and-set below.
            return false;
        }
        result = value;
        if (!publish(RESULT)) {
            result = null; // cancelled meanwhile: `result` is unused by a cancelled promise
            return false;
        }
        scheduleCallbacks();
        return true;
    }

    /**
     * Loop thread: sets the exception, tracks it until retrieved, schedules the callbacks.
     *
     * @return false if the promise was done already
     */
    final boolean completeException(Throwable exception, String kind) {
        assert loop.inLoop();
        if (state != PENDING) {
            // Only the loop writes RESULT and FAILED, so this plain read sees them. A stale
            // PENDING while another thread cancels is caught by the compare-and-set below.
            return false;
        }
        result = exception;
        if (!publish(FAILED)) {
            result = null;
            return false;
        }
        scheduleCallbacks();
        extras().report = loop.trackFailure(this, exception, kind);
        return true;
    }

    /** Future.cancel() as Task.__step calls it: no message. Loop thread, on a task. */
    final void completeCancelled(String message) {
        assert this instanceof Task && state == PENDING;
        retrieved();
        setCancelMessage(message);
        publish(CANCELLED);
        scheduleCallbacks();
    }

    /**
     * Leaves PENDING for {@code to}, publishing what was written before (see {@code state}): a
     * release store for a task (only its loop writes its state), a compare-and-set for any other
     * promise (another thread's cancel may race).
     *
     * @return false if the promise was not pending
     */
    private boolean publish(byte to) {
        if (this instanceof Task) {
            assert state == PENDING;
            STATE.setRelease(this, to);
            return true;
        }
        return STATE.compareAndSet(this, PENDING, to);
    }

    /** Registers a wake-up (a Task) or a Consumer. */
    final void addCallbackEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            ArrayList<Object> list = (ArrayList<Object>) cbs;
            list.add(entry);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    private void scheduleCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            ArrayList<Object> list = (ArrayList<Object>) cbs;
            for (int i = 0, n = list.size(); i < n; i++) {
                schedule(list.get(i));
            }
        } else {
            schedule(cbs);
        }
    }

    private void schedule(Object entry) {
        if (entry instanceof Task) {
            loop.readyAddTask((Task<?>) entry);
        } else {
            loop.readyAdd(entry, this);
        }
    }
}
