package dev.coro;

import java.util.Arrays;

/**
 * An immutable mapping from {@link ContextVar} to value (Python's {@code contextvars.Context}).
 * Copying a context is sharing it; {@link ContextVar#set} makes a new one (copy on write), so a
 * task that never sets a variable costs nothing.
 */
final class Context {
    static final Context EMPTY = new Context(new Object[0]);

    /** Pairs: var0, value0, var1, value1, ... */
    private final Object[] entries;

    private Context(Object[] entries) {
        this.entries = entries;
    }

    /** @return the index of var's value, or -1 */
    int indexOf(ContextVar<?> var) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == var) {
                return i + 1;
            }
        }
        return -1;
    }

    Object valueAt(int index) {
        return entries[index];
    }

    Context with(ContextVar<?> var, Object value) {
        int i = indexOf(var);
        Object[] copy;
        if (i >= 0) {
            copy = entries.clone();
            copy[i] = value;
        } else {
            copy = Arrays.copyOf(entries, entries.length + 2);
            copy[entries.length] = var;
            copy[entries.length + 1] = value;
        }
        return new Context(copy);
    }

    Context without(ContextVar<?> var) {
        int i = indexOf(var);
        if (i < 0) {
            return this;
        }
        Object[] copy = new Object[entries.length - 2];
        System.arraycopy(entries, 0, copy, 0, i - 1);
        System.arraycopy(entries, i + 1, copy, i - 1, entries.length - i - 1);
        return new Context(copy);
    }
}
