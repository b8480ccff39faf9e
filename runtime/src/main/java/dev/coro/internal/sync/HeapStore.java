package dev.coro.internal.sync;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A binary min-heap with exactly the algorithm of CPython's {@code heapq.heappush} and
 * {@code heapq.heappop} (the "bottom-up" pop: the hole left at the root walks down to a leaf
 * along the smaller children, then the last item sifts up from there). Items that compare equal
 * therefore come out in the same order as from an asyncio {@code PriorityQueue}, which
 * {@link java.util.PriorityQueue}'s different sift does not guarantee.
 *
 * <p>Only "less than" is asked of the comparator ({@code compare(a, b) < 0}), as heapq only
 * uses {@code <}.
 *
 * @param <T> the item type
 */
public final class HeapStore<T> implements ItemStore<T> {
    private final Comparator<? super T> comparator;
    private Object[] heap = new Object[8];
    private int size;

    /**
     * Creates an empty heap.
     *
     * @param comparator the order; the smallest item comes out first
     */
    public HeapStore(Comparator<? super T> comparator) {
        this.comparator = comparator;
    }

    @Override
    public void put(T item) {
        if (item == null) {
            throw new NullPointerException("PriorityQueue.put(null): a priority queue orders its "
                    + "items and null has no order; wrap it in an item that does");
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = item;
        size++;
        siftDown(0, size - 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        // heapq.heappop: lastelt = heap.pop(); if heap: returnitem = heap[0]; heap[0] = lastelt; _siftup(heap, 0)
        size--;
        Object last = heap[size];
        heap[size] = null;
        if (size == 0) {
            return (T) last;
        }
        Object result = heap[0];
        heap[0] = last;
        siftUp(0);
        return (T) result;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void describe(StringBuilder out) {
        out.append('[');
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(heap[i]);
        }
        out.append(']');
    }

    @SuppressWarnings("unchecked")
    private boolean less(Object a, Object b) {
        return comparator.compare((T) a, (T) b) < 0;
    }

    /** heapq._siftdown: moves the item at {@code pos} towards the root while it is smaller than its parent. */
    private void siftDown(int startPos, int pos) {
        Object newItem = heap[pos];
        while (pos > startPos) {
            int parentPos = (pos - 1) >> 1;
            Object parent = heap[parentPos];
            if (less(newItem, parent)) {
                heap[pos] = parent;
                pos = parentPos;
                continue;
            }
            break;
        }
        heap[pos] = newItem;
    }

    /** heapq._siftup: walks the hole at {@code pos} down to a leaf along the smaller children, then sifts the item up. */
    private void siftUp(int pos) {
        int endPos = size;
        int startPos = pos;
        Object newItem = heap[pos];
        int childPos = 2 * pos + 1;
        while (childPos < endPos) {
            int rightPos = childPos + 1;
            // Order is important here: heapq takes the right child unless left < right, so equal
            // children go right, which fixes the order of equal items.
            if (rightPos < endPos && !less(heap[childPos], heap[rightPos])) {
                childPos = rightPos;
            }
            heap[pos] = heap[childPos];
            pos = childPos;
            childPos = 2 * pos + 1;
        }
        heap[pos] = newItem;
        siftDown(startPos, pos);
    }
}
