package dev.coro;

import dev.coro.internal.Signals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Coro#run}: asyncio's {@code Runner}, with its Ctrl-C handling and {@code _cancel_all_tasks}. */
final class Runner {
    /** Set while a Coro.run owns SIGINT: only one at a time replaces the JVM's handler. */
    private static final AtomicBoolean SIGINT_TAKEN = new AtomicBoolean();

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
    private static final class Interrupts {
        final AtomicInteger count = new AtomicInteger();
        private final Task<?> task;
        private Object jvmHandler;

        private Interrupts(Task<?> task) {
            this.task = task;
        }

        /** Installs the handler if the JVM's own SIGINT handler is in place; else null. */
        static Interrupts install(Task<?> task) {
            if (!SIGINT_TAKEN.compareAndSet(false, true)) {
                return null;
            }
            Interrupts interrupts = new Interrupts(task);
            Object previous;
            try {
                previous = Signals.install("INT", interrupts::onSigint);
            } catch (UnsupportedOperationException | LinkageError e) {
                SIGINT_TAKEN.set(false); // no signals here (-Xrs, no jdk.unsupported): Ctrl-C as the JVM does it
                return null;
            }
            if (!Signals.isJvmDefault(previous)) {
                // The application handles SIGINT itself (asyncio checks for default_int_handler too).
                Signals.restore("INT", previous);
                SIGINT_TAKEN.set(false);
                return null;
            }
            interrupts.jvmHandler = previous;
            return interrupts;
        }

        /** Runs on the JVM's signal thread. */
        private void onSigint() {
            if (count.incrementAndGet() == 1 && !task.isDone()) {
                task.cancel(); // thread-safe: delivered on the loop thread, which it wakes
                return;
            }
            Signals.raise("INT", jvmHandler);
        }

        void uninstall(boolean exitAsInterrupted) {
            Signals.restore("INT", jvmHandler);
            SIGINT_TAKEN.set(false);
            if (exitAsInterrupted) {
                Signals.raise("INT", jvmHandler);
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
