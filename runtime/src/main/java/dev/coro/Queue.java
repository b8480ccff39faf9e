package dev.coro;

import dev.coro.internal.sync.FifoStore;
import dev.coro.internal.sync.Guarded;
import dev.coro.internal.sync.ItemStore;
import dev.coro.internal.sync.LoopBinding;
import dev.coro.spi.Frame;
import java.util.ArrayDeque;

/**
 * asyncio.Queue: a first-in, first-out queue for tasks of one event loop, optionally bounded.
 * {@link PriorityQueue} and {@link LifoQueue} change only the order in which items come out.
 *
 * <pre>{@code
 * Queue<String> q = new Queue<>(10);
 * await(q.put("job"));          // waits while the queue holds 10 items
 * String job = await(q.get());  // waits while it is empty
 * q.taskDone();                 // one per item got; join() waits until all are done
 * }</pre>
 *
 * <h2>Semantics (exactly CPython 3.13)</h2>
 * <ul>
 *   <li>{@code put} waits while {@link #full()}, {@code get} while {@link #empty()}; each waiter
 *       is a promise in a FIFO deque. {@code putNowait} wakes the first live getter and
 *       {@code getNowait} the first live putter, but hand nothing over: the woken task re-checks
 *       when it runs (one loop iteration later) and may find the item taken by a task that ran
 *       before it, in which case it queues again at the tail.</li>
 *   <li>A waiter cancelled after being woken passes the wake-up on to the next waiter.</li>
 *   <li>{@link #join()} waits until {@link #taskDone()} was called once per item ever put.</li>
 *   <li>{@link #shutdown(boolean)} (3.13): puts fail with {@link QueueShutDown}; gets fail once the
 *       queue is empty (at once if {@code immediate}, which also drops the items and counts them
 *       done); every blocked put and get wakes up to re-check.</li>
 * </ul>
 *
 * <p>{@code null} items are allowed (not in a {@link PriorityQueue}). All methods must be called
 * on the loop thread.
 *
 * @param <T> the item type
 */
public class Queue<T> {
    private final int maxsize;
    private final ItemStore<T> items;
    /** Waiter promises of blocked getters, FIFO; {@link #wakeUpNext} pops them. */
    private final ArrayDeque<Promise<Void>> getters = new ArrayDeque<>();
    /** Waiter promises of blocked putters, FIFO; {@link #wakeUpNext} pops them. */
    private final ArrayDeque<Promise<Void>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    private final Event finished = new Event();
    private boolean isShutdown;
    private EventLoop loop;

    /** Creates an unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue.
     *
     * @param maxsize the most items it holds; {@code <= 0} means unbounded
     */
    public Queue(int maxsize) {
        this(maxsize, new FifoStore<>());
    }

    Queue(int maxsize, ItemStore<T> items) {
        this.maxsize = maxsize;
        this.items = items;
        finished.set();
    }

    /** @return the number of items in the queue (asyncio {@code qsize()}) */
    public final int qsize() {
        return items.size();
    }

    /** @return the most items the queue holds; {@code <= 0} means unbounded */
    public final int maxsize() {
        return maxsize;
    }

    /** @return {@code true} if the queue holds no item */
    public final boolean empty() {
        return items.size() == 0;
    }

    /** @return {@code true} if the queue is bounded and holds {@link #maxsize()} items (never for an unbounded queue) */
    public final boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Puts an item, waiting while the queue is full (asyncio {@code await q.put(item)}). Does not
     * suspend if there is room when the coroutine is awaited.
     *
     * @param item the item
     * @return a coroutine that completes once the item is in the queue, or fails with
     *     {@link QueueShutDown} if the queue is (or, while waiting, gets) shut down
     */
    public final Coroutine<Void> put(T item) {
        Frame<Void> frame = new Frame<>(Queue::putBody, 3, 0);
        Frame.putRef(this, frame, 0);
        Frame.putRef(item, frame, 1);
        return frame;
    }

    // Frame of put(): ref 0 = the queue, ref 1 = the item, ref 2 = the putter promise while suspended.
    // state 0: not started; state 1: suspended in `await putter` inside `while self.full()`.
    @SuppressWarnings("unchecked")
    private static Object putBody(Frame<?> frame) throws Throwable {
        Queue<Object> self = (Queue<Object>) Frame.getRef(frame, 0);
        switch (frame.state) {
            case 0:
                break;
            case 1: {
                Promise<Void> putter = (Promise<Void>) Frame.getRef(frame, 2);
                Frame.putRef(null, frame, 2);
                try {
                    frame.resumeValue();
                } catch (Throwable t) {
                    self.waiterFailed(putter, self.putters, /* getter = */ false);
                    throw t;
                }
                break;
            }
            default:
                throw Guarded.badState("Queue.put", frame.state);
        }
        while (self.full()) {
            if (self.isShutdown) {
                throw new QueueShutDown("put() on a shut-down queue");
            }
            Promise<Void> putter = self.newWaiter();
            self.putters.addLast(putter);
            try {
                if (Frame.await(putter, frame) == Frame.SUSPENDED) {
                    Frame.putRef(putter, frame, 2);
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
            } catch (Throwable t) {
                self.waiterFailed(putter, self.putters, /* getter = */ false);
                throw t;
            }
        }
        self.putNowait(Frame.getRef(frame, 1));
        return null;
    }

    /**
     * Puts an item without waiting (asyncio {@code put_nowait}) and wakes the first blocked
     * getter.
     *
     * @param item the item
     * @throws QueueShutDown if the queue was shut down
     * @throws QueueFull if the queue is full
     */
    public final void putNowait(T item) {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "putNowait(item)");
        if (isShutdown) {
            throw new QueueShutDown("putNowait() on a shut-down queue");
        }
        if (full()) {
            throw new QueueFull();
        }
        items.put(item);
        unfinishedTasks++;
        finished.clear();
        wakeUpNext(getters);
    }

    /**
     * Removes and returns the next item, waiting while the queue is empty (asyncio
     * {@code await q.get()}). Does not suspend if an item is there when the coroutine is awaited.
     *
     * @return a coroutine that completes with the item, or fails with {@link QueueShutDown} if the
     *     queue is shut down and empty (or was shut down immediately)
     */
    public final Coroutine<T> get() {
        Frame<T> frame = new Frame<>(Queue::getBody, 2, 0);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of get(): ref 0 = the queue, ref 1 = the getter promise while suspended.
    // state 0: not started; state 1: suspended in `await getter` inside `while self.empty()`.
    @SuppressWarnings("unchecked")
    private static Object getBody(Frame<?> frame) throws Throwable {
        Queue<Object> self = (Queue<Object>) Frame.getRef(frame, 0);
        switch (frame.state) {
            case 0:
                break;
            case 1: {
                Promise<Void> getter = (Promise<Void>) Frame.getRef(frame, 1);
                Frame.putRef(null, frame, 1);
                try {
                    frame.resumeValue();
                } catch (Throwable t) {
                    self.waiterFailed(getter, self.getters, /* getter = */ true);
                    throw t;
                }
                break;
            }
            default:
                throw Guarded.badState("Queue.get", frame.state);
        }
        while (self.empty()) {
            if (self.isShutdown) {
                throw new QueueShutDown("get() on a shut-down, empty queue");
            }
            Promise<Void> getter = self.newWaiter();
            self.getters.addLast(getter);
            try {
                if (Frame.await(getter, frame) == Frame.SUSPENDED) {
                    Frame.putRef(getter, frame, 1);
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
            } catch (Throwable t) {
                self.waiterFailed(getter, self.getters, /* getter = */ true);
                throw t;
            }
        }
        return self.getNowait();
    }

    /**
     * The `except:` of put()/get(): the waiter leaves, and if it had been woken (not cancelled)
     * while the queue could serve someone, it passes the wake-up on.
     */
    private void waiterFailed(Promise<Void> waiter, ArrayDeque<Promise<Void>> waiters, boolean getter) {
        waiter.cancel(); // Just in case the waiter is not done yet.
        // It may already be gone: popped by a previous putNowait/getNowait or by shutdown.
        waiters.removeFirstOccurrence(waiter);
        boolean canServe = getter ? !empty() : !full();
        if (canServe && !waiter.isCancelled()) {
            // We were woken up but cannot take the call: wake up the next in line.
            wakeUpNext(waiters);
        }
    }

    /**
     * Removes and returns the next item without waiting (asyncio {@code get_nowait}) and wakes
     * the first blocked putter.
     *
     * @return the item
     * @throws QueueShutDown if the queue is empty and was shut down
     * @throws QueueEmpty if the queue is empty
     */
    public final T getNowait() {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "getNowait()");
        if (empty()) {
            if (isShutdown) {
                throw new QueueShutDown("getNowait() on a shut-down, empty queue");
            }
            throw new QueueEmpty();
        }
        T item = items.get();
        wakeUpNext(putters);
        return item;
    }

    /**
     * Tells the queue that the processing of one item got from it is complete (asyncio
     * {@code task_done()}); when every item put has been marked done, {@link #join()} returns.
     *
     * @throws IllegalStateException {@code "task_done() called too many times"} (asyncio's
     *     ValueError) if called more times than items were put
     */
    public final void taskDone() {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "taskDone()");
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("task_done() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Waits until every item ever put has been got and marked {@link #taskDone() done} (asyncio
     * {@code await q.join()}). Does not suspend if there is no unfinished item.
     *
     * @return a coroutine that completes when the count of unfinished items is zero
     */
    public final Coroutine<Void> join() {
        Frame<Void> frame = new Frame<>(Queue::joinBody, 1, 0);
        Frame.putRef(this, frame, 0);
        return frame;
    }

    // Frame of join(): ref 0 = the queue. state 0: not started; 1: suspended in `await finished.wait()`.
    private static Object joinBody(Frame<?> frame) throws Throwable {
        Queue<?> self = (Queue<?>) Frame.getRef(frame, 0);
        switch (frame.state) {
            case 0:
                if (self.unfinishedTasks > 0
                        && Frame.await(self.finished.waitUntilSet(), frame) == Frame.SUSPENDED) {
                    frame.state = 1;
                    return Frame.SUSPENDED;
                }
                return null;
            case 1:
                frame.resumeValue();
                return null;
            default:
                throw Guarded.badState("Queue.join", frame.state);
        }
    }

    /** Like {@link #shutdown(boolean) shutdown(false)}: gets go on until the queue is empty. */
    public final void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio 3.13 {@code shutdown(immediate)}): from now on puts fail with
     * {@link QueueShutDown}, and so do gets once the queue is empty. Every task blocked in
     * {@code put} or {@code get} is woken to re-check (and fail, unless a get finds an item).
     *
     * @param immediate also drop the items still queued, counting each as done (which may release
     *     {@link #join()}), so that gets fail at once
     */
    public final void shutdown(boolean immediate) {
        assert LoopBinding.onLoopThread(loop) : LoopBinding.offLoopThread(this, "shutdown(immediate)");
        isShutdown = true;
        if (immediate) {
            while (!empty()) {
                items.get();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        // All getters need to re-check queue-empty to raise QueueShutDown.
        while (!getters.isEmpty()) {
            Promise<Void> getter = getters.pollFirst();
            if (!getter.isDone()) {
                getter.setResult(null);
            }
        }
        while (!putters.isEmpty()) {
            Promise<Void> putter = putters.pollFirst();
            if (!putter.isDone()) {
                putter.setResult(null);
            }
        }
    }

    /** @return {@code true} once {@link #shutdown(boolean)} was called */
    public final boolean isShutdown() {
        return isShutdown;
    }

    /** Wakes up the next waiter that is not done (cancelled), popping it and those before it. */
    private static void wakeUpNext(ArrayDeque<Promise<Void>> waiters) {
        while (!waiters.isEmpty()) {
            Promise<Void> waiter = waiters.pollFirst();
            if (!waiter.isDone()) {
                waiter.setResult(null);
                break;
            }
        }
    }

    private Promise<Void> newWaiter() {
        loop = LoopBinding.bind(loop, this);
        return loop.createPromise();
    }

    /** @return e.g. {@code Queue[maxsize=2 items=[1, 2] getters[0] putters[1] tasks=2]} */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(getClass().getSimpleName()).append("[maxsize=").append(maxsize);
        if (!empty()) {
            out.append(" items=");
            items.describe(out);
        }
        if (!getters.isEmpty()) {
            out.append(" getters[").append(getters.size()).append(']');
        }
        if (!putters.isEmpty()) {
            out.append(" putters[").append(putters.size()).append(']');
        }
        if (unfinishedTasks != 0) {
            out.append(" tasks=").append(unfinishedTasks);
        }
        if (isShutdown) {
            out.append(" shutdown");
        }
        return out.append(']').toString();
    }
}
