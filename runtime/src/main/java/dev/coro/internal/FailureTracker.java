package dev.coro.internal;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.function.Consumer;

/**
 * Failed promises whose exception nobody has retrieved yet (asyncio's {@code __log_traceback}).
 * Each is tracked by a phantom {@link Report}: when the promise is garbage-collected while still
 * unretrieved, the loop {@linkplain #pollCollected polls} the report and says "... exception was
 * never retrieved"; when the loop closes it reports those still outstanding. Retrieving the
 * exception {@linkplain #retire retires} the report. Costs nothing while no failure is tracked.
 *
 * <p>Loop-thread only.
 */
public final class FailureTracker {
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private Report head;

    /** One tracked failure; holds no reference to the promise. */
    public static final class Report extends PhantomReference<Object> {
        /** The unretrieved exception. */
        public final Throwable exception;
        /** "Task" or "Future": how the message names the promise. */
        public final String kind;
        /** A description of the promise, made when it failed. */
        public final String source;
        Report previous;
        Report next;
        boolean linked;

        Report(Object promise, ReferenceQueue<Object> queue, Throwable exception, String kind, String source) {
            super(promise, queue);
            this.exception = exception;
            this.kind = kind;
            this.source = source;
        }

        /**
         * @return asyncio's message, e.g. "Task exception was never retrieved"
         */
        public String message() {
            return kind + " exception was never retrieved";
        }
    }

    /**
     * Starts tracking a failure.
     *
     * @param promise the failed promise
     * @param exception its exception
     * @param kind "Task" or "Future"
     * @param source a description of the promise
     * @return the report, to {@link #retire} when the exception is retrieved
     */
    public Report track(Object promise, Throwable exception, String kind, String source) {
        Report r = new Report(promise, collected, exception, kind, source);
        r.next = head;
        if (head != null) {
            head.previous = r;
        }
        head = r;
        r.linked = true;
        return r;
    }

    /**
     * The exception was retrieved: forget the report.
     *
     * @param r the report
     */
    public void retire(Report r) {
        unlink(r);
        r.clear();
    }

    /**
     * @return true while some failure is tracked
     */
    public boolean isTracking() {
        return head != null;
    }

    /**
     * Reports (to {@code sink}) every tracked promise that was collected unretrieved.
     *
     * @param sink receives each report
     */
    public void pollCollected(Consumer<Report> sink) {
        Reference<?> ref;
        while ((ref = collected.poll()) != null) {
            reportIfLinked((Report) ref, sink);
        }
    }

    /**
     * Reports every outstanding failure, collected or not, and stops tracking them (the loop closes).
     *
     * @param sink receives each report
     */
    public void reportAll(Consumer<Report> sink) {
        pollCollected(sink);
        for (Report r = head; r != null; ) {
            Report next = r.next;
            unlink(r);
            r.clear();
            sink.accept(r);
            r = next;
        }
    }

    /**
     * Test hook: runs the garbage collector until every collectable tracked promise has been
     * reported, waiting up to about a second.
     *
     * @param sink receives each report
     */
    public void collectGarbage(Consumer<Report> sink) {
        for (int round = 0; round < 10 && head != null; round++) {
            System.gc();
            try {
                Reference<?> ref = collected.remove(100);
                while (ref != null) {
                    reportIfLinked((Report) ref, sink);
                    ref = collected.poll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (round >= 2 && allReachable()) {
                return;
            }
        }
    }

    private void reportIfLinked(Report r, Consumer<Report> sink) {
        if (r.linked) {
            unlink(r);
            sink.accept(r);
        }
    }

    private boolean allReachable() {
        for (Report r = head; r != null; r = r.next) {
            if (r.refersTo(null)) {
                return false;
            }
        }
        return true;
    }

    private void unlink(Report r) {
        if (!r.linked) {
            return;
        }
        r.linked = false;
        if (r.previous != null) {
            r.previous.next = r.next;
        } else {
            head = r.next;
        }
        if (r.next != null) {
            r.next.previous = r.previous;
        }
        r.previous = null;
        r.next = null;
    }
}
