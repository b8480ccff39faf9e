package dev.coro;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * Tracks a failed promise whose exception nobody has retrieved yet (asyncio's
 * {@code __log_traceback}). When the promise is garbage-collected while still unretrieved, the
 * loop polls this reference from its queue and reports "... exception was never retrieved"; when
 * the loop closes it reports those still outstanding. Holds no reference to the promise.
 */
final class FailureReport extends PhantomReference<Promise<?>> {
    final Throwable exception;
    final String kind;
    final String source;
    /** Links of the loop's list of outstanding reports (keeps this reference reachable). */
    FailureReport previous;
    FailureReport next;
    boolean linked;

    FailureReport(Promise<?> promise, ReferenceQueue<Promise<?>> queue, Throwable exception, String kind) {
        super(promise, queue);
        this.exception = exception;
        this.kind = kind;
        // Not promise.toString(): that formats the exception, on the hot path of every failure.
        this.source = promise instanceof Task ? "<Task name='" + ((Task<?>) promise).getName() + "'>" : "<Promise>";
    }

    String message() {
        return kind + " exception was never retrieved";
    }
}
