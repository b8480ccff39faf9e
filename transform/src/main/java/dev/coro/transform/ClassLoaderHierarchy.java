package dev.coro.transform;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;

/**
 * {@link ClassHierarchy#fromClassLoader(ClassLoader)}: reads a class loader's {@code .class}
 * resources, never loading a class. The loader is held weakly: a caller that keeps one hierarchy
 * per loader (the agent) does not keep discarded loaders, and all their classes, alive. Once the
 * loader is collected, no class of it is being defined any more, and lookups of its classes
 * answer "unknown".
 */
final class ClassLoaderHierarchy extends CachingHierarchy {
    private final WeakReference<ClassLoader> loader;
    private final boolean bootstrap;

    /**
     * @param loader the loader whose resources to read; {@code null} for the bootstrap loader,
     *     which sees the JDK's own classes only
     */
    ClassLoaderHierarchy(ClassLoader loader) {
        this.loader = new WeakReference<>(loader);
        this.bootstrap = loader == null;
    }

    @Override
    byte[] read(String internalName) {
        if (bootstrap) {
            return null; // the JDK's classes are read by CachingHierarchy in any case
        }
        ClassLoader current = loader.get();
        if (current == null) {
            return null;
        }
        try (InputStream in = current.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null; // unreadable: the class is unknown to the rewriter
        }
    }
}
