package dev.coro.transform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A {@link ClassHierarchy} read from class files in folders and jars (what the Maven plugin has:
 * the project's output folder and its dependency jars), falling back to the running JDK for the
 * platform's classes. It never loads a class. Thread-safe; answers are cached.
 *
 * <p>Jars are opened on first use and stay open until {@link #close()}.
 */
public final class ClasspathHierarchy extends CachingHierarchy implements AutoCloseable {
    private final List<Path> entries;
    private final ZipFile[] jars;
    private final boolean[] opened;

    /**
     * @param classpath folders and jars, in lookup order; missing entries are ignored
     */
    ClasspathHierarchy(List<Path> classpath) {
        this.entries = new ArrayList<>(classpath);
        this.jars = new ZipFile[entries.size()];
        this.opened = new boolean[entries.size()];
    }

    @Override
    byte[] read(String internalName) {
        String resource = internalName + ".class";
        for (int i = 0; i < entries.size(); i++) {
            Path entry = entries.get(i);
            try {
                if (Files.isDirectory(entry)) {
                    Path file = entry.resolve(resource);
                    if (Files.isRegularFile(file)) {
                        return Files.readAllBytes(file);
                    }
                } else {
                    ZipFile jar = jar(i);
                    if (jar != null) {
                        ZipEntry zipEntry = jar.getEntry(resource);
                        if (zipEntry != null) {
                            try (InputStream in = jar.getInputStream(zipEntry)) {
                                return in.readAllBytes();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // unreadable entry: try the next one
            }
        }
        return null;
    }

    private synchronized ZipFile jar(int index) {
        if (!opened[index]) {
            opened[index] = true;
            Path path = entries.get(index);
            if (Files.isRegularFile(path)) {
                try {
                    jars[index] = new ZipFile(path.toFile());
                } catch (IOException e) {
                    jars[index] = null;
                }
            }
        }
        return jars[index];
    }

    /** Closes the jars opened so far; later lookups reopen them as needed. */
    @Override
    public synchronized void close() {
        for (int i = 0; i < jars.length; i++) {
            if (jars[i] != null) {
                try {
                    jars[i].close();
                } catch (IOException e) {
                    // nothing useful to do
                }
                jars[i] = null;
            }
            opened[i] = false;
        }
    }
}
