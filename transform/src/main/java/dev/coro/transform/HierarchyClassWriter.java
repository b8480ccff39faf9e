package dev.coro.transform;

import org.objectweb.asm.ClassWriter;

/**
 * A {@link ClassWriter} that computes stack map frames without loading classes: common super
 * classes come from the {@link HierarchyView}; a class it cannot find merges to
 * {@code java/lang/Object} (what the JVM's own verifier would need is then reported by the
 * tests' verification, never by a crash here).
 */
final class HierarchyClassWriter extends ClassWriter {
    private final HierarchyView hierarchy;

    HierarchyClassWriter(HierarchyView hierarchy, int flags) {
        super(flags);
        this.hierarchy = hierarchy;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
        return hierarchy.commonSuperClass(type1, type2);
    }

    @Override
    protected ClassLoader getClassLoader() {
        throw new UnsupportedOperationException("the Coro rewriter never loads classes");
    }
}
