package dev.coro;

import dev.coro.internal.Sneaky;
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
 * <p>Loop-confined, except that {@link #setResult}, {@link #setException} and {@link #cancel()}
 * may be called from any thread: off the loop thread they hop to it with
 * {@link EventLoop#callSoonThreadsafe}.
 *
 * <p>A failed promise whose exception nobody retrieved ({@link #result()}, {@link #exception()},
 * or an {@code await}) is reported to the loop's exception handler ("exception was never
 * retrieved") when it is garbage-collected or when its loop closes.
 *
 * @param <T> the value's type
 */
public class Promise<T> implements Awaitable<T> {
    // Encoding of `state`: PENDING -> RESULT | FAILED | CANCELLED, once.
    static final byte PENDING = 0;
    static final byte RESULT = 1;
    static final byte FAILED = 2;
    static final byte CANCELLED = 3;

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
        return state != PENDING;
    }

    /**
     * @return true if the promise was cancelled
     */
    public final boolean isCancelled() {
        return state == CANCELLED;
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
        byte s = state;
        if (s == RESULT) {
            return (T) result;
        }
        if (s == FAILED) {
            retrieved();
            throw Sneaky.rethrow((Throwable) result);
        }
        if (s == CANCELLED) {
            throw makeCancelledError();
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
        byte s = state;
        if (s == FAILED) {
            retrieved();
            return (Throwable) result;
        }
        if (s == RESULT) {
            return null;
        }
        if (s == CANCELLED) {
            throw makeCancelledError();
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
        if (state != PENDING) {
            throw new IllegalStateException("setResult() on " + this + ": it is already done");
        }
        completeResult(value);
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
        if (state != PENDING) {
            throw new IllegalStateException("setException() on " + this + ": it is already done");
        }
        completeException(exception, "Promise");
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
     * Off the loop thread, the cancellation is scheduled on the loop and the result tells whether
     * the promise was pending when the call was made.
     *
     * @param message the message, or null
     * @return false if it was already done
     */
    public boolean cancel(String message) {
        if (!loop.inLoop()) {
            boolean pending = state == PENDING;
            loop.callSoonThreadsafe(() -> cancel(message));
            return pending;
        }
        retrieved();
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        setCancelMessage(message);
        scheduleCallbacks();
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
        if (state != PENDING) {
            loop.readyAdd(entry, this);
        } else {
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
     * Returns a Java future completed (on the loop thread) like this promise: with the value, the
     * exception, or cancelled. Cancelling the returned future cancels this promise.
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
        if (state != PENDING) {
            copyTo(future);
        } else {
            addDoneCallback(p -> copyTo(future));
        }
        return future;
    }

    @SuppressWarnings("unchecked")
    private void copyTo(CompletableFuture<T> future) {
        if (state == CANCELLED) {
            future.cancel(false);
        } else if (state == FAILED) {
            retrieved();
            future.completeExceptionally((Throwable) result);
        } else {
            future.complete((T) result);
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

    /** Marks a failure as retrieved (asyncio's {@code __log_traceback = False}). */
    final void retrieved() {
        Extras e = extras;
        if (e != null && e.report != null) {
            dev.coro.internal.FailureTracker.Report r = e.report;
            e.report = null;
            loop.retire(r);
        }
    }

    final void completeResult(Object value) {
        result = value;
        state = RESULT;
        scheduleCallbacks();
    }

    final void completeException(Throwable exception, String kind) {
        result = exception;
        state = FAILED;
        scheduleCallbacks();
        extras().report = loop.trackFailure(this, exception, kind);
    }

    /** Future.cancel() as Task.__step calls it: no message. */
    final void completeCancelled(String message) {
        retrieved();
        state = CANCELLED;
        setCancelMessage(message);
        scheduleCallbacks();
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
