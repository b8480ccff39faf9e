package dev.coro.internal;

import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;

/**
 * The runtime's access to the package-private fields of {@link Frame} (the task driver lives in
 * {@code dev.coro}, the frame in {@code dev.coro.spi}). Installed once by {@code Frame}'s static
 * initializer; not for application code (the package is not exported).
 */
public abstract class FrameAccess {
    private static volatile FrameAccess instance;

    /** For {@link Frame} only. */
    protected FrameAccess() {
    }

    /**
     * Installs the implementation; called once by {@link Frame}.
     *
     * @param access the implementation
     */
    public static void install(FrameAccess access) {
        if (instance != null) {
            throw new IllegalStateException("FrameAccess is already installed");
        }
        instance = access;
    }

    /**
     * Returns the implementation, initializing {@link Frame} if needed.
     *
     * @return the implementation
     */
    public static FrameAccess get() {
        FrameAccess access = instance;
        if (access == null) {
            Object touch = Frame.SUSPENDED; // runs Frame's static initializer
            access = instance;
            if (access == null || touch == null) {
                throw new IllegalStateException("Frame did not install its FrameAccess");
            }
        }
        return access;
    }

    /**
     * @param frame a frame
     * @return its resumable code
     */
    public abstract CoroutineBody body(Frame<?> frame);

    /**
     * @param frame a frame
     * @return the frame awaiting it, or null
     */
    public abstract Frame<?> caller(Frame<?> frame);

    /**
     * @param frame a frame
     * @param caller the frame awaiting it, or null
     */
    public abstract void setCaller(Frame<?> frame, Frame<?> caller);

    /**
     * @param frame a frame
     * @return the task that owns it (a {@code dev.coro.Task}), or null
     */
    public abstract Object owner(Frame<?> frame);

    /**
     * @param frame a frame
     * @param task the task that owns it from now on
     */
    public abstract void setOwner(Frame<?> frame, Object task);

    /**
     * Stores the outcome the frame reads back with {@link Frame#resumeValue()}.
     *
     * @param frame the frame about to be resumed
     * @param value the value delivered (when {@code exception} is null)
     * @param exception the exception delivered, or null
     */
    public abstract void deliver(Frame<?> frame, Object value, Throwable exception);
}
