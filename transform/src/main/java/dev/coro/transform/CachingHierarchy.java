package dev.coro.transform;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Base of the hierarchies that read class files: caches every answer, including "unknown". */
abstract class CachingHierarchy implements ClassHierarchy {
    private final ConcurrentHashMap<String, Optional<ClassInfo>> cache = new ConcurrentHashMap<>();

    @Override
    public final ClassInfo lookup(String internalName) {
        return cache.computeIfAbsent(internalName, name -> {
            byte[] bytes = read(name);
            if (bytes == null) {
                bytes = ClassFiles.readPlatformClass(name);
            }
            if (bytes == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(ClassFiles.info(bytes));
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    /**
     * Reads a class file from this hierarchy's own source.
     *
     * @param internalName the class's internal name
     * @return its bytes, or {@code null} when this source does not have it
     */
    abstract byte[] read(String internalName);
}
