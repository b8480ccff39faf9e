package dev.coro.agent;

import dev.coro.transform.ClassHierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The class hierarchy as one class loader sees it, read from its {@code .class} resources (never
 * by loading a class). Unlike {@link ClassHierarchy#fromClassLoader}, it holds the loader weakly,
 * so that the agent's per-loader cache does not keep discarded loaders (and all their classes)
 * alive. Thread-safe; answers are cached.
 */
final class LoaderHierarchy implements ClassHierarchy {
    private final WeakReference<ClassLoader> loader;
    private final boolean bootstrap;
    private final Map<String, Optional<ClassInfo>> cache = new ConcurrentHashMap<>();

    /**
     * @param loader the defining loader; {@code null} for the bootstrap loader
     */
    LoaderHierarchy(ClassLoader loader) {
        this.loader = new WeakReference<>(loader);
        this.bootstrap = loader == null;
    }

    @Override
    public ClassInfo lookup(String internalName) {
        return cache.computeIfAbsent(internalName, name -> Optional.ofNullable(read(name))).orElse(null);
    }

    private ClassInfo read(String internalName) {
        String resource = internalName + ".class";
        ClassLoader current = loader.get();
        if (current == null && !bootstrap) {
            return null; // the loader is gone: nothing of it is being defined any more
        }
        try (InputStream in = current == null
                ? ClassLoader.getPlatformClassLoader().getResourceAsStream(resource)
                : current.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            ClassReader reader = new ClassReader(in.readAllBytes());
            return new ClassInfo(reader.getClassName(), reader.getSuperName(), reader.getInterfaces(),
                    (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0);
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: the rewriter treats the class as unknown
        }
    }
}
