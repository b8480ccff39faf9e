package dev.coro.internal;

/**
 * Carries an exception delivered to a suspended frame, so that one field can hold either the
 * value or the exception ({@link dev.coro.spi.Frame#resumeValue()} throws {@link #exception}
 * unchanged). Never escapes the runtime.
 */
public final class Thrown {
    /** The delivered exception. */
    public final Throwable exception;

    /**
     * @param exception the delivered exception
     */
    public Thrown(Throwable exception) {
        this.exception = exception;
    }
}
