package dev.coro;

/**
 * The coroutine {@link Coro#sleep(java.time.Duration)} returns. Awaited, it is at once the task's
 * wait object and its timer entry, so a sleeping task costs this one small object plus a heap
 * slot: no promise, handle or lambda. Iteration costs match asyncio's {@code sleep}: the timer
 * fires in the iteration where the deadline is reached, the task resumes in the next one; a
 * {@code ZERO} sleep yields exactly one iteration.
 *
 * <pre>
 * state:  NEW --await--> IN_HEAP --deadline--> IN_READY --fire--> DONE
 *                          |                      |
 *                          +------cancel----------+-----> CANCELLED
 * </pre>
 */
final class Sleep<T> extends Coroutine<T> {
    static final byte NEW = 0;
    static final byte IN_HEAP = 1;
    static final byte IN_READY = 2;
    static final byte DONE = 3;
    static final byte CANCELLED = 4;

    final long delayNanos;
    final T value;
    Task<?> task;
    byte state;
    String cancelMessage;

    Sleep(long delayNanos, T value) {
        this.delayNanos = delayNanos;
        this.value = value;
    }

    /** The timer reached its deadline and this entry ran from the ready queue. */
    void fire() {
        if (state == IN_READY) {
            state = DONE;
            task.loop.readyAddTask(task);
        }
    }

    /**
     * Cancels the wait (as {@code future.cancel(msg)} on asyncio's sleep future).
     *
     * @return false when the sleep already completed
     */
    boolean cancel(String message) {
        byte s = state;
        if (s != IN_HEAP && s != IN_READY) {
            return false;
        }
        if (s == IN_HEAP) {
            task.loop.timerCancelled();
        }
        state = CANCELLED;
        cancelMessage = message;
        task.loop.readyAddTask(task);
        return true;
    }

    boolean isCancelledTimer() {
        return state == CANCELLED;
    }

    @Override
    public String toString() {
        return "sleep(" + delayNanos + " ns)";
    }
}
