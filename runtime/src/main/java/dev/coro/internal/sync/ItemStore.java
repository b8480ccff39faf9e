package dev.coro.internal.sync;

/**
 * The storage of a {@link dev.coro.Queue}: asyncio's overridable {@code _init}, {@code _put} and
 * {@code _get}. The queue does all the blocking and counting; a store only orders items.
 *
 * @param <T> the item type
 */
public interface ItemStore<T> {
    /**
     * Adds an item.
     *
     * @param item the item, possibly {@code null} for stores that accept it
     */
    void put(T item);

    /**
     * Removes and returns the next item; only called when {@link #size()} is positive.
     *
     * @return the next item
     */
    T get();

    /** @return how many items the store holds */
    int size();

    /**
     * Appends the items in the store's internal order (asyncio prints {@code list(self._queue)}).
     *
     * @param out where to write
     */
    void describe(StringBuilder out);
}
