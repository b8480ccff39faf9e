package dev.coro.transform;

import java.io.IOException;
import java.io.InputStream;

/** {@link ClassHierarchy#fromClassLoader(ClassLoader)}: reads {@code .class} resources. */
final class ClassLoaderHierarchy extends CachingHierarchy {
    private final ClassLoader loader;

    ClassLoaderHierarchy(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    byte[] read(String internalName) {
        String resource = internalName + ".class";
        try (InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
