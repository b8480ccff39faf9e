package dev.coro.internal;

/** Rethrows any exception, checked or not, unchanged and unwrapped. */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code exception} unchanged, even a checked one.
     *
     * @param exception the exception
     * @return never returns; declared so callers can write {@code throw Sneaky.rethrow(e)}
     */
    public static RuntimeException rethrow(Throwable exception) {
        throw Sneaky.<RuntimeException>doThrow(exception);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable exception) throws E {
        throw (E) exception;
    }
}
