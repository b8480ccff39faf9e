package dev.coro.internal;

import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.lang.ref.Cleaner;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Debug mode: reports a coroutine object that was garbage-collected without ever being awaited or
 * spawned (asyncio's "coroutine 'f' was never awaited"), with the stack where it was created.
 *
 * <p>Costs nothing outside debug mode: {@link #enabled} stays false until a loop runs in debug
 * mode, and the only check on the normal path is that static boolean in {@code Frame}'s
 * constructor. When it is on, a frame created on the thread of a running debug loop gets a
 * {@link Creation} (the creation stack trace) kept in its otherwise unused {@code delivered} slot
 * and registered with a {@link Cleaner}; awaiting or spawning the frame marks the creation
 * started (a null check in {@code Frame}'s {@code setOwner}, which is never null in debug mode
 * only). The cleaner runs the report when the frame is collected still unstarted.
 */
public final class CoroutineTracking {
    private CoroutineTracking() {
    }

    /**
     * True once a loop ran in debug mode; read by {@code Frame}'s constructor. Plain, not
     * volatile: the constructor is hot, and a debug loop sets it on its own thread before it runs.
     */
    public static boolean enabled;

    /**
     * Installed by {@code EventLoop}: returns the debug loop running on the calling thread, or
     * null (frames made elsewhere are not tracked).
     */
    private static volatile Supplier<Object> debugLoop = () -> null;
    /** Installed by {@code EventLoop}: reports (loop, message) of an unstarted collected coroutine. */
    private static volatile BiConsumer<Object, Creation> reporter = (loop, creation) -> { };

    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create(runnable -> {
            Thread t = new Thread(runnable, "coro-never-awaited-cleaner");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Wires the tracking to the event loop.
     *
     * @param debugLoopOnThisThread returns the running debug loop of the calling thread, or null
     * @param report reports one coroutine collected unstarted
     */
    public static void install(Supplier<Object> debugLoopOnThisThread, BiConsumer<Object, Creation> report) {
        debugLoop = debugLoopOnThisThread;
        reporter = report;
    }

    /** Where and what a tracked coroutine was; the cleaner's action. */
    public static final class Creation extends Throwable implements Runnable {
        private static final long serialVersionUID = 1L;
        private final transient Object loop;
        private final transient CoroutineBody body;
        volatile boolean started;

        Creation(Object loop, CoroutineBody body) {
            super("created here", null, false, true);
            this.loop = loop;
            this.body = body;
        }

        /**
         * @return {@code Coroutine[com.acme.App.fetch]}, the never-awaited coroutine
         */
        public String coroutine() {
            return "Coroutine[" + CoroutineNames.site(body).qualifiedName() + "]";
        }

        @Override
        public void run() {
            if (!started) {
                reporter.accept(loop, this);
            }
        }
    }

    /**
     * Called by {@code Frame}'s constructor when {@link #enabled}.
     *
     * @param body the new frame's body
     * @param frame the new frame
     * @return the creation record to keep in the frame, or null when not tracked
     */
    public static Creation created(CoroutineBody body, Frame<?> frame) {
        Object loop = debugLoop.get();
        if (loop == null) {
            return null;
        }
        Creation creation = new Creation(loop, body);
        Holder.CLEANER.register(frame, creation);
        return creation;
    }

    /**
     * Called when a tracked frame is awaited or spawned.
     *
     * @param creation the frame's creation record
     */
    public static void started(Object creation) {
        if (creation instanceof Creation) {
            ((Creation) creation).started = true;
        }
    }
}
