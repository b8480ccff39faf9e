package dev.coro.internal;

import dev.coro.CancelledError;
import dev.coro.spi.Frame;
import java.util.Arrays;

/**
 * Async stack traces: an exception that crosses awaits gets, below the frames where it was thrown,
 * the chain of coroutines that awaited it, each at its await line, the way CPython's traceback
 * runs through awaits:
 * <pre>
 * java.lang.IllegalStateException: disk full
 *     at com.acme.Deep.level5(Deep.java:31)        where it was thrown (real frames)
 *     at coro.async(awaited by)                    the boundary: what follows are awaits
 *     at com.acme.Deep.level4(Deep.java:26)        the await in level4 that got the exception
 *     at com.acme.Deep.level3(Deep.java:21)
 *     ...
 * </pre>
 * The loop's own frames ({@code Task.run}, {@code EventLoop.runOnce}, the runner) that the JVM
 * recorded below the thrower are replaced by the chain; the runtime's await plumbing
 * ({@code Frame.await}, {@code Task.awaitFrame}) between user frames of a chain that ran inline is
 * removed.
 *
 * <p>How. The task driver calls {@link #delivered} when it delivers an exception into a suspended
 * frame (an awaited coroutine, task, promise or Java future failed): the frame's await site, a
 * {@link StackTraceElement} made from the rewriter's {@link dev.coro.spi.AwaitSites}, is appended
 * to the exception's trace. It calls {@link #escaped} when an exception leaves a frame: a frame
 * that got the exception from an await of an already-failed promise (no suspension, so no
 * delivery) is appended then, without its line (the frame's state still names its previous
 * await; a caller that ran it inline is appended at its await's line, read from the live Java
 * stack). The exception stays the same object ({@code setStackTrace} on it); a {@code catch}
 * sees it unchanged otherwise.
 *
 * <p>Cost rule: nothing runs unless an exception crosses an await; then one
 * {@code getStackTrace}/{@code setStackTrace} per crossing. Not done for:
 * <ul>
 *   <li>{@link CancelledError}: cancellation is control flow (every timeout and task group
 *   uses it), its chain is the task's own stack ({@code Task.stack()}), and filling traces there
 *   would make cancellation cost what an error costs;</li>
 *   <li>exceptions without a trace ({@code writableStackTrace = false}, or a JIT fast throw): an
 *   empty trace stays empty;</li>
 *   <li>frames that are not rewritten {@code @Async} methods (the runtime's hand-written
 *   coroutines, {@code timeout}, {@code taskGroup}, ...);</li>
 *   <li>traces already {@value #MAX_TRACE} elements long (the same exception awaited over and
 *   over does not grow without bound).</li>
 * </ul>
 * Off with {@code -Dcoro.asyncTraces=false} (read once, when the runtime starts): traces are then
 * the JVM's.
 */
public final class AsyncTraces {
    private AsyncTraces() {
    }

    /** Whether async traces are on: {@code -Dcoro.asyncTraces=false} turns them off. */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("coro.asyncTraces", "true"));

    /** No appending past this length (the JVM's default {@code MaxJavaStackTraceDepth}). */
    static final int MAX_TRACE = 1024;

    /** The boundary between the frames where the exception was thrown and the chain of awaits. */
    public static final StackTraceElement BOUNDARY = new StackTraceElement("coro", "async", "awaited by", -1);

    private static final FrameAccess FRAMES = FrameAccess.get();

    /**
     * The driver delivers {@code exception} into {@code frame}, suspended at the await of its
     * current state: appends that await site to the exception's trace.
     *
     * @param exception the exception being delivered
     * @param frame the suspended frame that gets it
     */
    public static void delivered(Throwable exception, Frame<?> frame) {
        if (exception instanceof CancelledError) {
            return;
        }
        CoroutineNames.Site site = CoroutineNames.site(FRAMES.body(frame));
        if (site.methodName == null) {
            return;
        }
        append(exception, site.element(frame.state), /* onlyIfAbsent = */ null);
    }

    /**
     * {@code exception} leaves {@code frame} (which threw it or let it through): if the trace
     * shows nothing of the frame's method, the frame got it from an await that did not suspend,
     * so it is appended without a line. Also removes the await plumbing of a chain that ran
     * inline.
     *
     * @param exception the exception
     * @param frame the frame it leaves
     */
    public static void escaped(Throwable exception, Frame<?> frame) {
        if (exception instanceof CancelledError) {
            return;
        }
        CoroutineNames.Site site = CoroutineNames.site(FRAMES.body(frame));
        if (site.methodName == null) {
            return;
        }
        append(exception, new StackTraceElement(site.className, site.methodName, site.fileName, -1), site);
    }

    /**
     * {@code exception} leaves {@code callee}, which {@code caller} ran inline (in the same Java
     * stack), and goes on into the caller's Java frame: as {@link #escaped} for the callee; then,
     * if the trace shows nothing of the caller (the exception was made elsewhere and reached the
     * callee through an await that did not suspend), the caller is appended at the line of its
     * await, read from the live Java stack.
     *
     * @param exception the exception
     * @param callee the frame it leaves
     * @param caller the frame whose Java frame it enters
     */
    public static void escapedInline(Throwable exception, Frame<?> callee, Frame<?> caller) {
        escaped(exception, callee);
        if (exception instanceof CancelledError) {
            return;
        }
        CoroutineNames.Site site = CoroutineNames.site(FRAMES.body(caller));
        if (site.methodName == null) {
            return;
        }
        StackTraceElement[] trace = exception.getStackTrace();
        if (trace.length == 0 || trace.length >= MAX_TRACE || mentions(trace, site)) {
            return; // the usual case: thrown below, the caller's real frame is in the trace
        }
        // Only on this rare path: the caller's Java frame is live, at the await's line.
        int line = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().equals(site.className) && isResumeOf(f.getMethodName(), site.methodName))
                .findFirst()
                .map(StackWalker.StackFrame::getLineNumber)
                .orElse(-1));
        append(exception, new StackTraceElement(site.className, site.methodName, site.fileName, line), site);
    }

    private static void append(Throwable exception, StackTraceElement element, CoroutineNames.Site onlyIfAbsent) {
        // Several loops may deliver one exception (a Java future awaited on two loops): one
        // read-modify-write at a time. Throwable's own trace methods lock the same monitor.
        synchronized (exception) {
            StackTraceElement[] trace = exception.getStackTrace();
            if (trace.length == 0 || trace.length >= MAX_TRACE) {
                return;
            }
            int boundary = indexOfBoundary(trace);
            if (onlyIfAbsent != null && mentions(trace, onlyIfAbsent)) {
                if (boundary < 0) {
                    // Thrown in this task, maybe through inline awaits: only the plumbing goes.
                    StackTraceElement[] clean = realPart(trace, /* cutAtDriver = */ false);
                    if (clean.length != trace.length) {
                        exception.setStackTrace(clean);
                    }
                }
                return;
            }
            StackTraceElement[] out;
            if (boundary < 0) {
                StackTraceElement[] real = realPart(trace, /* cutAtDriver = */ true);
                out = Arrays.copyOf(real, real.length + 2);
                out[real.length] = BOUNDARY;
                out[real.length + 1] = element;
            } else {
                out = Arrays.copyOf(trace, trace.length + 1);
                out[trace.length] = element;
            }
            exception.setStackTrace(out);
        }
    }

    private static int indexOfBoundary(StackTraceElement[] trace) {
        for (int i = 0; i < trace.length; i++) {
            StackTraceElement e = trace[i];
            if (e == BOUNDARY || BOUNDARY.equals(e)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a real frame of the site's resume method ({@code m} or {@code m$2}), or its await site, is in the trace. */
    private static boolean mentions(StackTraceElement[] trace, CoroutineNames.Site site) {
        String method = site.methodName;
        for (StackTraceElement e : trace) {
            if (e.getClassName().equals(site.className) && isResumeOf(e.getMethodName(), method)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} is the resume method of source method {@code method}: {@code m} or {@code m$2}. */
    private static boolean isResumeOf(String name, String method) {
        return name.equals(method) || (name.startsWith(method) && name.length() > method.length()
                && name.charAt(method.length()) == '$');
    }

    /**
     * The frames where the exception was thrown: the trace down to (not including) the first
     * frame of the loop's driver, without the await plumbing below the first frame that is not
     * plumbing. A trace made on another thread (a Java future's pool) has no driver frame: kept whole.
     * Without {@code cutAtDriver}, only the plumbing is removed.
     */
    static StackTraceElement[] realPart(StackTraceElement[] trace, boolean cutAtDriver) {
        int end = trace.length;
        for (int i = 1; cutAtDriver && i < trace.length; i++) {
            if (isDriver(trace[i])) {
                end = i;
                break;
            }
        }
        int firstUser = 0;
        while (firstUser < end && isPlumbing(trace[firstUser])) {
            firstUser++;
        }
        StackTraceElement[] out = new StackTraceElement[end];
        int n = 0;
        for (int i = 0; i < end; i++) {
            if (i <= firstUser || !isPlumbing(trace[i])) {
                out[n++] = trace[i];
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The loop below the task's coroutines: a task step, or the loop's own callbacks. */
    private static boolean isDriver(StackTraceElement e) {
        String c = e.getClassName();
        String m = e.getMethodName();
        return (c.equals("dev.coro.Task") && (m.equals("run") || m.equals("step")))
                || c.equals("dev.coro.EventLoop");
    }

    /** The runtime's await path between an awaiting frame and the coroutine it runs inline. */
    private static boolean isPlumbing(StackTraceElement e) {
        String c = e.getClassName();
        String m = e.getMethodName();
        switch (c) {
            case "dev.coro.spi.Frame":
                return m.equals("await") || m.equals("awaitStage");
            case "dev.coro.Task":
                return m.equals("awaitFrame");
            case "dev.coro.Task$Driver":
                return m.equals("await") || m.equals("awaitStage");
            default:
                return false;
        }
    }
}
