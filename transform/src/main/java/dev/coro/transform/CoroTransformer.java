package dev.coro.transform;

/**
 * The rewriter's one entry point: class-file bytes in, rewritten bytes out, plus diagnostics.
 * Thread-safe and stateless between calls; never loads application classes.
 */
public final class CoroTransformer {
    private final ClassHierarchy hierarchy;

    /**
     * @param hierarchy where to look up classes when stack map frames need a common super type
     */
    public CoroTransformer(ClassHierarchy hierarchy) {
        this.hierarchy = hierarchy;
    }

    /**
     * Quick test on the raw bytes, before any parsing: whether the constant pool mentions Coro at
     * all ({@code dev/coro/Async} or {@code dev/coro/Coro}). Classes for which this is false are
     * returned unchanged by {@link #transform(byte[])}; the agent uses it to skip unrelated classes
     * cheaply.
     *
     * @param classFile the class file
     * @return whether the class may need rewriting
     */
    public static boolean mayNeedRewriting(byte[] classFile) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Rewrites the {@code @Async} methods and async lambdas of one class.
     *
     * @param classFile the class file
     * @return the result; never throws for bad user code (that is reported as diagnostics)
     * @throws IllegalArgumentException if the bytes are not a class file
     */
    public TransformResult transform(byte[] classFile) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
