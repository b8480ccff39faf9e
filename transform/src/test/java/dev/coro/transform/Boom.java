package dev.coro.transform;

/** The exception the corpus's failing awaitables throw; loaded by the parent loader, so tests can catch it. */
public final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message which await failed, e.g. {@code "fail 3"} */
    public Boom(String message) {
        super(message);
    }
}
