package dev.coro.transform;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/** Helpers shared by the hierarchy implementations: header parsing and the JDK's own classes. */
final class ClassFiles {
    private ClassFiles() {
    }

    /**
     * Reads what the rewriter needs from a class file's header, without building a tree.
     *
     * @param bytes the class file
     * @return the class description
     */
    static ClassHierarchy.ClassInfo info(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        return new ClassHierarchy.ClassInfo(reader.getClassName(), reader.getSuperName(),
                reader.getInterfaces(), (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0, reader.getAccess());
    }

    /**
     * Reads a class of the running JDK as bytes, never loading it: first through the platform class
     * loader's resources, then through the {@code jrt:} file system.
     *
     * @param internalName e.g. {@code java/lang/String}
     * @return the class file, or {@code null} when the JDK has no such class
     */
    static byte[] readPlatformClass(String internalName) {
        String resource = internalName + ".class";
        // the platform loader sees the JDK's modules only, never the application's classpath
        try (InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            // fall through to jrt:
        }
        FileSystem jrt = Jrt.FILE_SYSTEM;
        if (jrt == null || !(internalName.startsWith("java/") || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/") || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/"))) {
            return null; // application classes are never in the JDK's modules: no need to search
        }
        try {
            // jrt:/modules/<module>/<path>; we do not know the module, so search the few that exist
            Path modules = jrt.getPath("/modules");
            try (var stream = Files.list(modules)) {
                for (Path module : (Iterable<Path>) stream::iterator) {
                    Path candidate = module.resolve(resource);
                    if (Files.isRegularFile(candidate)) {
                        return Files.readAllBytes(candidate);
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The {@code jrt:} file system, opened once, or {@code null} on a JDK without one. */
    private static final class Jrt {
        static final FileSystem FILE_SYSTEM = open();

        private static FileSystem open() {
            try {
                return FileSystems.getFileSystem(URI.create("jrt:/"));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
