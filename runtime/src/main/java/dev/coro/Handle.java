package dev.coro;

/**
 * A scheduled callback ({@link EventLoop#callSoon}, {@link EventLoop#callLater}, {@link EventLoop#callAt},
 * {@link EventLoop#callSoonThreadsafe}); cancel it to keep it from running.
 */
public final class Handle {
    private final EventLoop loop;
    Runnable callback;
    private final boolean timer;
    private final long when;
    boolean cancelled;
    boolean inHeap;
    /** The context (contextvars) captured when the callback was scheduled; null for none. */
    Context context;

    Handle(EventLoop loop, Runnable callback, boolean timer, long when) {
        this.loop = loop;
        this.callback = callback;
        this.timer = timer;
        this.when = when;
    }

    /** Keeps the callback from running (no effect once it ran). */
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            callback = null;
            if (inHeap) {
                loop.timerCancelled();
            }
        }
    }

    /**
     * @return true once cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * @return true for a timer ({@link EventLoop#callLater}/{@link EventLoop#callAt})
     */
    public boolean isTimer() {
        return timer;
    }

    /**
     * @return the timer's deadline in seconds on the loop's clock ({@link EventLoop#time()})
     * @throws IllegalStateException if this is not a timer
     */
    public double when() {
        return whenNanos() / 1e9;
    }

    /**
     * @return the timer's deadline on the loop's clock ({@link EventLoop#nanoTime()})
     * @throws IllegalStateException if this is not a timer
     */
    public long whenNanos() {
        if (!timer) {
            throw new IllegalStateException("when() of a callSoon handle: only timers have a deadline");
        }
        return when;
    }

    @Override
    public String toString() {
        return "Handle[" + (cancelled ? "cancelled" : String.valueOf(callback))
                + (timer ? ", when=" + when : "") + "]";
    }
}
