package dev.coro.transform;

import java.util.List;

/**
 * The outcome of rewriting one class file.
 *
 * @param status what happened
 * @param bytes the rewritten class file when {@code status == REWRITTEN}, otherwise the input
 *     bytes unchanged
 * @param rewrittenMethods how many methods (including async lambdas) were rewritten
 * @param diagnostics the refused sites when {@code status == FAILED}; when {@code status ==
 *     UNREADABLE}, one entry saying why the file cannot be read; otherwise empty
 * @param warnings sites that do not stop the rewriting: coroutines that are never awaited (a
 *     call whose {@code Coroutine} result is thrown away), when the transformer was asked for them
 *     ({@link CoroTransformer#reportingNeverAwaited()}); empty otherwise
 */
public record TransformResult(Status status, byte[] bytes, int rewrittenMethods,
                              List<Diagnostic> diagnostics, List<Diagnostic> warnings) {

    /**
     * A result without warnings.
     *
     * @param status what happened
     * @param bytes the class file
     * @param rewrittenMethods how many methods were rewritten
     * @param diagnostics the refused sites
     */
    public TransformResult(Status status, byte[] bytes, int rewrittenMethods, List<Diagnostic> diagnostics) {
        this(status, bytes, rewrittenMethods, diagnostics, List.of());
    }

    /** @return this result with {@code warnings} added */
    TransformResult withWarnings(List<Diagnostic> found) {
        return found.isEmpty() ? this : new TransformResult(status, bytes, rewrittenMethods, diagnostics, List.copyOf(found));
    }

    /** What the rewriter did with a class. */
    public enum Status {
        /** Nothing in the class is {@code @Async} and nothing calls {@code await}. */
        UNCHANGED,
        /** The class already carries the {@code dev.coro.spi.Rewritten} marker. */
        ALREADY_REWRITTEN,
        /** The class was rewritten; {@code bytes} holds the new class file. */
        REWRITTEN,
        /** The class has sites the rewriter refuses; see {@code diagnostics}. */
        FAILED,
        /**
         * The bytes are not a readable class file (truncated, corrupt, or not a class file at all):
         * a stale or broken build, not a site of the user's code. {@code diagnostics} holds one
         * entry with the reason; nothing was rewritten.
         */
        UNREADABLE
    }

    /** @return whether {@link #bytes()} differ from the input */
    public boolean changed() {
        return status == Status.REWRITTEN;
    }
}
