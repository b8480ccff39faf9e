package dev.coro;

import java.util.List;

/**
 * The errors of a {@link TaskGroup} (Python's {@code ExceptionGroup('unhandled errors in a
 * TaskGroup', ...)}): every child error, in completion order, followed by the body's own error if
 * it had one. Each is also attached as a suppressed exception, so stack traces show them.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Throwable> exceptions;

    /**
     * @param message the message
     * @param exceptions the errors, in order (at least one)
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        super(message);
        this.exceptions = List.copyOf(exceptions);
        for (Throwable e : this.exceptions) {
            addSuppressed(e);
        }
    }

    /**
     * @return the errors, in order
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    @Override
    public String toString() {
        return super.toString() + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")";
    }
}
