package dev.coro.internal.sync;

import java.util.ArrayDeque;

/**
 * First in, first out ({@code collections.deque} with {@code append}/{@code popleft}); accepts
 * {@code null} items, which are stored as a private marker because {@link ArrayDeque} refuses
 * {@code null}.
 *
 * @param <T> the item type
 */
public final class FifoStore<T> implements ItemStore<T> {
    static final Object NULL = new Object();

    private final ArrayDeque<Object> items = new ArrayDeque<>();

    @Override
    public void put(T item) {
        items.addLast(item == null ? NULL : item);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get() {
        Object item = items.removeFirst();
        return item == NULL ? null : (T) item;
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public void describe(StringBuilder out) {
        describe(items.iterator(), out);
    }

    static void describe(java.util.Iterator<Object> it, StringBuilder out) {
        out.append('[');
        boolean first = true;
        while (it.hasNext()) {
            Object item = it.next();
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(item == NULL ? "null" : String.valueOf(item));
        }
        out.append(']');
    }
}
