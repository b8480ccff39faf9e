package dev.coro.internal.sync;

import dev.coro.Coro;
import dev.coro.EventLoop;

/**
 * asyncio's {@code mixins._LoopBoundMixin}: a synchronisation primitive is bound to the event loop
 * that first makes it wait, and refuses to be used from another loop afterwards. Like CPython,
 * only the paths that create a waiter promise bind or check (fast paths never look at the loop).
 */
public final class LoopBinding {
    private LoopBinding() {
    }

    /**
     * Returns the running loop, checking it against the loop {@code owner} is already bound to.
     *
     * @param bound the loop the primitive is bound to, or {@code null} if it is not bound yet
     * @param owner the primitive, for the error message
     * @return the running loop, which the caller stores as its bound loop
     * @throws IllegalStateException when no loop is running on this thread, or when the running
     *     loop is not the one the primitive is bound to
     */
    public static EventLoop bind(EventLoop bound, Object owner) {
        EventLoop running = Coro.loop();
        if (bound != null && bound != running) {
            throw new IllegalStateException(owner + " is bound to a different event loop: a Lock, "
                    + "Event, Condition, Semaphore, Barrier or Queue belongs to the loop that first "
                    + "made a task wait on it; create one per loop");
        }
        return running;
    }

    /**
     * For {@code assert}: tells whether the caller is on the thread of the loop the primitive is
     * bound to (always true while it is not bound, or while that loop is not running).
     *
     * @param bound the loop the primitive is bound to, or {@code null}
     * @return {@code true} if the call is allowed
     */
    public static boolean onLoopThread(EventLoop bound) {
        return bound == null || bound.inLoop();
    }

    /**
     * The message of a failed {@link #onLoopThread} assertion.
     *
     * @param owner the primitive
     * @param method the method called, e.g. {@code "release()"}
     * @return the message
     */
    public static String offLoopThread(Object owner, String method) {
        return method + " of " + owner + " called from thread \"" + Thread.currentThread().getName()
                + "\", not from its event loop's thread: asyncio primitives are not thread-safe; "
                + "call it through loop.callSoonThreadsafe(...)";
    }
}
