package dev.coro;

import dev.coro.internal.sync.HeapStore;
import java.util.Comparator;
import java.util.Objects;

/**
 * asyncio.PriorityQueue: a {@link Queue} that returns the smallest item first. Items that compare
 * equal come out in the same order as from CPython's {@code heapq} (the same heap algorithm), not
 * necessarily in insertion order: add a sequence number to the ordering key if you need FIFO
 * among equals. {@code null} items are refused.
 *
 * @param <T> the item type
 */
public final class PriorityQueue<T> extends Queue<T> {
    /** Creates an unbounded priority queue of {@link Comparable} items, in their natural order. */
    public PriorityQueue() {
        this(0);
    }

    /**
     * Creates a priority queue of {@link Comparable} items, in their natural order; an item that
     * is not {@code Comparable} makes the put that compares it with another item fail with
     * {@link ClassCastException} (as Python's TypeError).
     *
     * @param maxsize the most items it holds; {@code <= 0} means unbounded
     */
    @SuppressWarnings("unchecked")
    public PriorityQueue(int maxsize) {
        this(maxsize, (Comparator<? super T>) Comparator.naturalOrder());
    }

    /**
     * Creates a priority queue ordered by a comparator.
     *
     * @param maxsize the most items it holds; {@code <= 0} means unbounded
     * @param comparator the order; the smallest item comes out first
     * @throws NullPointerException if {@code comparator} is {@code null}
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new HeapStore<>(Objects.requireNonNull(comparator,
                "PriorityQueue(maxsize, comparator): comparator is null; use PriorityQueue(maxsize) for the natural order")));
    }
}
