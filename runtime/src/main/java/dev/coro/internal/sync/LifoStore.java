package dev.coro.internal.sync;

import java.util.ArrayDeque;

/**
 * Last in, first out (a Python list with {@code append}/{@code pop}); accepts {@code null} items.
 *
 * @param <T> the item type
 */
public final class LifoStore<T> implements ItemStore<T> {
    private final ArrayDeque<Object> items = new ArrayDeque<>();

    @Override
    public void put(T item) {
        items.addLast(item == null ? FifoStore.NULL : item);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        Object item = items.removeLast();
        return item == FifoStore.NULL ? null : (T) item;
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public void describe(StringBuilder out) {
        FifoStore.describe(items.iterator(), out);
    }
}
