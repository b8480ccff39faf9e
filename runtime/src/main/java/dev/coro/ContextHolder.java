package dev.coro;

/**
 * The context (contextvars) current on one thread. A loop caches its thread's holder, so a task
 * step switches context with two field writes.
 */
final class ContextHolder {
    private static final ThreadLocal<ContextHolder> CURRENT = ThreadLocal.withInitial(ContextHolder::new);

    Context context = Context.EMPTY;

    static ContextHolder current() {
        return CURRENT.get();
    }
}
