package dev.coro;

import dev.coro.internal.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** {@link Coro#run}: asyncio's {@code Runner}, with its Ctrl-C handling and {@code _cancel_all_tasks}. */
final class Runner {
    /** Set while a Coro.run owns SIGINT: only one at a time replaces the JVM's handler. */
    private Runner() {
    }

    static <T> T run(Coroutine<T> main, EventLoop loop) {
        Task<T> task;
        try {
            task = loop.spawn(main);
        } catch (RuntimeException | Error e) {
            loop.close();
            throw e;
        }
        Interrupts interrupts = Interrupts.install(task);
        boolean exitAsInterrupted = false;
        try {
            return loop.runUntilComplete(task);
        } catch (CancelledError e) {
            // asyncio.Runner.run: a main task cancelled by Ctrl-C becomes a KeyboardInterrupt,
            // unless it swallowed that cancellation (uncancel() leaves a request).
            if (interrupts != null && interrupts.count.get() > 0 && task.uncancel() == 0) {
                exitAsInterrupted = true;
            }
            throw e;
        } finally {
            try {
                try {
                    cancelAllTasks(loop);
                    loop.shutdownDefaultExecutor(Duration.ofMinutes(5));
                } finally {
                    loop.close();
                }
            } finally {
                if (interrupts != null) {
                    interrupts.uninstall(exitAsInterrupted);
                }
            }
        }
    }

    /**
     * Ctrl-C while Coro.run runs (asyncio's {@code Runner._on_sigint}):
     * <pre>
     * | SIGINT number | main task   | what happens                                              |
     * |---------------|-------------|-----------------------------------------------------------|
     * | 1             | not done    | main task cancelled (a request, delivered on the loop)    |
     * | 1             | done        | the JVM's handler: shutdown hooks, exit 130               |
     * | 2 and later   | any         | the JVM's handler: shutdown hooks, exit 130, at once      |
     * </pre>
     * When Coro.run ends because the first Ctrl-C cancelled the main task, the JVM's handler runs
     * after the shutdown (Python raises KeyboardInterrupt there).
     */
    /**
     * Ctrl-C for the run of one main task. The SIGINT handler is installed once per process, on
     * the first {@code Coro.run}, and stays: installing and restoring a {@code sun.misc.Signal}
     * handler costs microseconds, paid by every {@code Coro.run} before. Between runs it does
     * what the JVM's own handler does (it calls it: shutdown hooks, exit 130), so a program sees
     * no difference. It is not installed when SIGINT already has a handler other than the JVM's
     * (the application handles SIGINT itself; asyncio checks for {@code default_int_handler}), and
     * an application that installs its own later replaces it.
     */
    private static final class Interrupts {
        private static final Object LOCK = new Object();
        /** 0: not tried yet; 1: the dispatcher is installed; -1: not installed, never retried. */
        private static int dispatcherState;
        /** The JVM's SIGINT handler, which the dispatcher falls back to. */
        private static Object jvmHandler;
        /** The run Ctrl-C cancels: one at a time (the first of concurrent or nested runs). */
        private static final AtomicReference<Interrupts> CURRENT = new AtomicReference<>();

        final AtomicInteger count = new AtomicInteger();
        private final Task<?> task;

        private Interrupts(Task<?> task) {
            this.task = task;
        }

        static Interrupts install(Task<?> task) {
            if (CURRENT.get() != null || !dispatcherInstalled()) {
                return null;
            }
            Interrupts interrupts = new Interrupts(task);
            return CURRENT.compareAndSet(null, interrupts) ? interrupts : null;
        }

        private static boolean dispatcherInstalled() {
            synchronized (LOCK) {
                if (dispatcherState == 0) {
                    dispatcherState = -1;
                    Object previous;
                    try {
                        previous = Signals.install("INT", Interrupts::onSigint);
                    } catch (UnsupportedOperationException | LinkageError e) {
                        return false; // no signals here (-Xrs, no jdk.unsupported): Ctrl-C as the JVM does it
                    }
                    if (!Signals.isJvmDefault(previous)) {
                        Signals.restore("INT", previous); // the application handles SIGINT itself
                        return false;
                    }
                    jvmHandler = previous;
                    dispatcherState = 1;
                }
                return dispatcherState == 1;
            }
        }

        private static void onSigint() {
            Interrupts current = CURRENT.get();
            if (current != null && current.count.incrementAndGet() == 1 && !current.task.isDone()) {
                current.task.cancel(); // thread-safe: delivered on the loop thread, which it wakes
                return;
            }
            raiseJvmDefault();
        }

        private static void raiseJvmDefault() {
            Object handler;
            synchronized (LOCK) {
                handler = jvmHandler;
            }
            Signals.raise("INT", handler);
        }

        void uninstall(boolean exitAsInterrupted) {
            CURRENT.compareAndSet(this, null);
            if (exitAsInterrupted) {
                raiseJvmDefault();
            }
        }
    }

    static void cancelAllTasks(EventLoop loop) {
        if (loop.isClosed()) {
            return;
        }
        List<Task<?>> toCancel = new ArrayList<>(loop.allTasks());
        if (toCancel.isEmpty()) {
            return;
        }
        for (Task<?> t : toCancel) {
            t.cancel();
        }
        Promise<?> all = loop.createPromise();
        int[] remaining = {toCancel.size()};
        for (Task<?> t : toCancel) {
            t.addDoneCallback(done -> {
                if (!done.isCancelled()) {
                    done.exception(); // mark retrieved: reported below instead
                }
                if (--remaining[0] == 0 && !all.isDone()) {
                    all.completeResult(null);
                }
            });
        }
        loop.runUntilComplete(all);
        for (Task<?> t : toCancel) {
            if (t.isCancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                loop.callExceptionHandler(EventLoop.errorContext(
                        "unhandled exception during Coro.run() shutdown", e, "task", t));
            }
        }
    }
}
