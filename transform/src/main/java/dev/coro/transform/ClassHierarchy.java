package dev.coro.transform;

import java.nio.file.Path;
import java.util.List;

/**
 * Answers questions about classes the rewriter must not load: their super class and whether
 * they are interfaces. The rewriter needs it to merge types when it computes stack map frames.
 * The Maven plugin builds one from the project's classpath (class files in folders and jars);
 * the agent from the defining class loader's resources. Both read class files the same way
 * (one implementation here: a second copy in a wrapper drifts).
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
     * A hierarchy read from class files in folders and jars, in classpath order, never loading a
     * class. Classes not on the given path ({@code java/...} and the rest of the platform) are
     * read from the running JDK (the platform class loader's resources, then the {@code jrt:}
     * file system). Answers are cached; the returned object is thread-safe. Jars are
     * opened lazily and kept open until {@link ClasspathHierarchy#close()} is called on it (it is
     * {@link AutoCloseable}); callers that do not close it leave the jars to the garbage collector.
     *
     * @param classpath folders and jar files, in lookup order; missing entries are ignored
     * @return the hierarchy
     */
    static ClasspathHierarchy fromClasspath(List<Path> classpath) {
        return new ClasspathHierarchy(classpath);
    }

    /**
     * A hierarchy read from a class loader's {@code .class} resources, never loading a class: what
     * the agent has for the loader defining a class. The same class-file reading as
     * {@link #fromClasspath} (access flags included), so the plugin and the agent compute the same
     * frames. The loader is held weakly. Answers are cached; the returned object is thread-safe.
     *
     * @param loader the loader whose resources to read; {@code null} means the bootstrap loader
     *     (the JDK's own classes, which are found through any loader)
     * @return the hierarchy
     */
    static ClassHierarchy fromClassLoader(ClassLoader loader) {
        return new ClassLoaderHierarchy(loader);
    }

    /**
     * What the rewriter needs to know of a class.
     *
     * @param name the internal name
     * @param superName the internal name of the super class, {@code null} for {@code java/lang/Object}
     * @param interfaces internal names of the directly implemented interfaces
     * @param isInterface whether the class is an interface
     * @param access the class file's access flags ({@code ACC_PUBLIC} matters: the rewriter never
     *     casts to a class the rewritten class may not name)
     */
    record ClassInfo(String name, String superName, String[] interfaces, boolean isInterface, int access) {
        /**
         * A class whose access flags are not known: taken as public.
         *
         * @param name the internal name
         * @param superName the internal name of the super class, {@code null} for {@code java/lang/Object}
         * @param interfaces internal names of the directly implemented interfaces
         * @param isInterface whether the class is an interface
         */
        public ClassInfo(String name, String superName, String[] interfaces, boolean isInterface) {
            this(name, superName, interfaces, isInterface, 0x0001 | (isInterface ? 0x0200 | 0x0400 : 0));
        }

        /** @return whether the class is public (any class may name it) */
        public boolean isPublic() {
            return (access & 0x0001) != 0;
        }
    }
}
