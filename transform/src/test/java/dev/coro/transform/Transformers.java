package dev.coro.transform;

/** Rewriters configured for tests, for test code outside this package (the fuzzer). */
public final class Transformers {
    private Transformers() {
    }

    /**
     * A rewriter whose await sites share their save and restore code whenever they can, however
     * small the method: the shared code (chains and their ladders) is then exercised by every
     * program, not only by large methods.
     *
     * @param hierarchy the class hierarchy
     * @return the rewriter
     */
    public static CoroTransformer sharingWheneverPossible(ClassHierarchy hierarchy) {
        return new CoroTransformer(hierarchy, 0);
    }
}
