package dev.coro.internal;

import dev.coro.Coroutine;

/**
 * The coroutine {@code Coro.done(value)} returns: already finished with {@code value}. Awaiting it
 * returns the value at once; it may be awaited any number of times.
 *
 * @param <T> the value's type
 */
public final class Completed<T> extends Coroutine<T> {
    /** {@code done()} / {@code done(null)}. */
    public static final Completed<Object> NULL = new Completed<>(null);

    /** The value. */
    public final T value;

    /**
     * Creates a finished coroutine.
     *
     * @param value its value
     */
    public Completed(T value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return "done(" + value + ")";
    }
}
