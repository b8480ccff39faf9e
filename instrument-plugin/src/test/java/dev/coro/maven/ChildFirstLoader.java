package dev.coro.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the classes of one package from a folder, everything else from the test's loader. */
final class ChildFirstLoader extends ClassLoader implements AutoCloseable {
    private final Path folder;
    private final String packagePrefix;

    ChildFirstLoader(Path folder, String packagePrefix) {
        super(ChildFirstLoader.class.getClassLoader());
        this.folder = folder;
        this.packagePrefix = packagePrefix;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null && name.startsWith(packagePrefix)) {
                Path file = folder.resolve(name.replace('.', '/') + ".class");
                if (Files.isRegularFile(file)) {
                    try {
                        byte[] bytes = Files.readAllBytes(file);
                        loaded = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            if (loaded == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public void close() {
        // nothing held
    }
}
