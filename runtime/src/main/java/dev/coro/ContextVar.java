package dev.coro;

import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * A context variable (Python's {@code contextvars.ContextVar}): a value per task. Each task runs
 * in a copy of the context of the code that spawned it, so a value set in a task is seen by the
 * tasks it spawns afterwards, never by its parent or siblings. {@link Coro#toThread} copies the
 * context into the worker thread; {@link EventLoop#runInExecutor} does not.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("requestId");
 * ...
 * ContextVar.Token<String> token = REQUEST_ID.set("r-42");
 * try { await(handle()); } finally { REQUEST_ID.reset(token); }
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();

    private final String name;
    private final Object defaultValue;

    /**
     * Creates a variable without a default: {@link #get()} throws until it is set.
     *
     * @param name the name (for messages)
     */
    public ContextVar(String name) {
        this.name = name;
        this.defaultValue = NO_DEFAULT;
    }

    /**
     * Creates a variable with a default value.
     *
     * @param name the name (for messages)
     * @param defaultValue the value {@link #get()} returns when the variable is not set
     */
    public ContextVar(String name, T defaultValue) {
        this.name = name;
        this.defaultValue = defaultValue;
    }

    /**
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the value in the current context, or the default.
     *
     * @return the value
     * @throws NoSuchElementException if the variable is not set and has no default
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Context c = ContextHolder.current().context;
        int i = c.indexOf(this);
        if (i >= 0) {
            return (T) c.valueAt(i);
        }
        if (defaultValue == NO_DEFAULT) {
            throw new NoSuchElementException("ContextVar '" + name
                    + "' is not set in this context and has no default: set it first or use get(default)");
        }
        return (T) defaultValue;
    }

    /**
     * Returns the value in the current context, or {@code fallback}.
     *
     * @param fallback the value to return when the variable is not set
     * @return the value
     */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Context c = ContextHolder.current().context;
        int i = c.indexOf(this);
        return i >= 0 ? (T) c.valueAt(i) : fallback;
    }

    /**
     * Sets the value in the current context (the current task's, or the thread's).
     *
     * @param value the value
     * @return a token to restore the previous value with {@link #reset}
     */
    public Token<T> set(T value) {
        ContextHolder holder = ContextHolder.current();
        Context before = holder.context;
        int i = before.indexOf(this);
        Object old = i >= 0 ? before.valueAt(i) : Token.MISSING;
        holder.context = before.with(this, value);
        return new Token<>(this, old);
    }

    /**
     * Restores the value the variable had before the {@link #set} that returned {@code token}.
     *
     * @param token the token
     * @throws IllegalStateException if the token was already used
     * @throws IllegalArgumentException if the token belongs to another variable
     */
    public void reset(Token<T> token) {
        if (token.var != this) {
            throw new IllegalArgumentException("reset() of ContextVar '" + name
                    + "' with a token of ContextVar '" + token.var.name + "'");
        }
        if (token.used) {
            throw new IllegalStateException("reset() of ContextVar '" + name + "': the token was already used");
        }
        token.used = true;
        ContextHolder holder = ContextHolder.current();
        holder.context = token.oldValue == Token.MISSING
                ? holder.context.without(this) : holder.context.with(this, token.oldValue);
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + "]";
    }

    /** Captures the current context, to run code in it on another thread. */
    static <V> Callable<V> inCurrentContext(Callable<V> callable) {
        Context captured = ContextHolder.current().context;
        return () -> {
            ContextHolder holder = ContextHolder.current();
            Context saved = holder.context;
            holder.context = captured;
            try {
                return callable.call();
            } finally {
                holder.context = saved;
            }
        };
    }

    /**
     * What {@link #set} returns: restores the previous value with {@link #reset}.
     *
     * @param <T> the value's type
     */
    public static final class Token<T> {
        static final Object MISSING = new Object();

        private final ContextVar<T> var;
        private final Object oldValue;
        private boolean used;

        Token(ContextVar<T> var, Object oldValue) {
            this.var = var;
            this.oldValue = oldValue;
        }

        /**
         * @return the variable this token belongs to
         */
        public ContextVar<T> var() {
            return var;
        }
    }
}
