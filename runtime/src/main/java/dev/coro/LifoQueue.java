package dev.coro;

import dev.coro.internal.sync.LifoStore;

/**
 * asyncio.LifoQueue: a {@link Queue} that returns the most recently put item first (a stack).
 *
 * @param <T> the item type
 */
public final class LifoQueue<T> extends Queue<T> {
    /** Creates an unbounded last-in, first-out queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * Creates a last-in, first-out queue.
     *
     * @param maxsize the most items it holds; {@code <= 0} means unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize, new LifoStore<>());
    }
}
