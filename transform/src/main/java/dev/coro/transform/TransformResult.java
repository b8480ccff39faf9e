package dev.coro.transform;

import java.util.List;

/**
 * The outcome of rewriting one class file.
 *
 * @param status what happened
 * @param bytes the rewritten class file when {@code status == REWRITTEN}, otherwise the input
 *     bytes unchanged
 * @param rewrittenMethods how many methods (including async lambdas) were rewritten
 * @param diagnostics the refused sites; non-empty exactly when {@code status == FAILED}
 */
public record TransformResult(Status status, byte[] bytes, int rewrittenMethods,
                              List<Diagnostic> diagnostics) {

    /** What the rewriter did with a class. */
    public enum Status {
        /** Nothing in the class is {@code @Async} and nothing calls {@code await}. */
        UNCHANGED,
        /** The class already carries the {@code dev.coro.spi.Rewritten} marker. */
        ALREADY_REWRITTEN,
        /** The class was rewritten; {@code bytes} holds the new class file. */
        REWRITTEN,
        /** The class has sites the rewriter refuses; see {@code diagnostics}. */
        FAILED
    }

    /** @return whether {@link #bytes()} differ from the input */
    public boolean changed() {
        return status == Status.REWRITTEN;
    }
}
