package dev.coro.transform;

/**
 * Answers questions about classes the rewriter must not load: their super class and whether
 * they are interfaces. The rewriter needs it to merge types when it computes stack map frames.
 * The Maven plugin builds one from the project's classpath (class files in folders and jars);
 * the agent from the defining class loader's resources.
 */
public interface ClassHierarchy {
    /**
     * Describes a class.
     *
     * @param internalName the class's internal name, e.g. {@code java/lang/String}
     * @return its description, or {@code null} when the class is unknown
     */
    ClassInfo lookup(String internalName);

    /**
     * What the rewriter needs to know of a class.
     *
     * @param name the internal name
     * @param superName the internal name of the super class, {@code null} for {@code java/lang/Object}
     * @param interfaces internal names of the directly implemented interfaces
     * @param isInterface whether the class is an interface
     */
    record ClassInfo(String name, String superName, String[] interfaces, boolean isInterface) {
    }
}
