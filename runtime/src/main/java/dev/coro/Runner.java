package dev.coro;

import java.util.ArrayList;
import java.util.List;

/** The shutdown part of {@link Coro#run} (asyncio's {@code runners._cancel_all_tasks}). */
final class Runner {
    private Runner() {
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
