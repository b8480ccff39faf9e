package dev.coro.maven;

import dev.coro.transform.ClassHierarchy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * A {@link ClassHierarchy} read from class files on a classpath (folders and jars) and, for the
 * JDK's own classes, from the platform class loader's resources. It never loads a class: it reads
 * the header of the class file (super class, interfaces, access flags).
 *
 * <p>Lookups are cached and thread-safe. Jars are opened on first use and closed by
 * {@link #close()}.
 */
final class ClasspathHierarchy implements ClassHierarchy, AutoCloseable {
    private final List<Path> folders = new ArrayList<>();
    private final List<Path> jarPaths = new ArrayList<>();
    private final Map<Path, JarFile> openJars = new ConcurrentHashMap<>();
    private final Map<String, Optional<ClassInfo>> cache = new ConcurrentHashMap<>();

    /**
     * @param classpath folders and jars, searched in order; entries that do not exist are ignored
     */
    ClasspathHierarchy(List<Path> classpath) {
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                folders.add(entry);
            } else if (Files.isRegularFile(entry)) {
                jarPaths.add(entry);
            }
        }
    }

    @Override
    public ClassInfo lookup(String internalName) {
        return cache.computeIfAbsent(internalName, name -> Optional.ofNullable(read(name))).orElse(null);
    }

    private ClassInfo read(String internalName) {
        String resource = internalName + ".class";
        try {
            for (Path folder : folders) {
                Path file = folder.resolve(resource);
                if (Files.isRegularFile(file)) {
                    return describe(Files.readAllBytes(file));
                }
            }
            for (Path jarPath : jarPaths) {
                JarFile jar = jar(jarPath);
                ZipEntry entry = jar == null ? null : jar.getEntry(resource);
                if (entry != null) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        return describe(in.readAllBytes());
                    }
                }
            }
            // The JDK's classes: a .class resource is never encapsulated, and reading it loads nothing.
            try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(resource)) {
                return in == null ? null : describe(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource + " from the classpath: " + e.getMessage(), e);
        }
    }

    private JarFile jar(Path jarPath) {
        return openJars.computeIfAbsent(jarPath, path -> {
            try {
                return new JarFile(path.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open " + path + " (on the classpath): " + e.getMessage(), e);
            }
        });
    }

    private static ClassInfo describe(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        return new ClassInfo(reader.getClassName(), reader.getSuperName(), reader.getInterfaces(),
                (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0);
    }

    /** Closes the jars opened by lookups. */
    @Override
    public void close() {
        for (JarFile jar : openJars.values()) {
            try {
                jar.close();
            } catch (IOException ignored) {
                // read-only use: nothing is lost
            }
        }
        openJars.clear();
    }
}
