package dev.coro.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import dev.coro.bench.coro.CoroPeer;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The paired A/B harness loads a build in its own class loader and reports ratios; nothing is timed. */
class PairedAbTest {
    private static String classPathOf(Class<?>... classes) throws Exception {
        StringBuilder cp = new StringBuilder();
        for (Class<?> c : classes) {
            if (cp.length() > 0) {
                cp.append(File.pathSeparator);
            }
            cp.append(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return cp.toString();
    }

    @Test
    void comparesTwoLoadsOfTheSameBuild() throws Exception {
        String build = classPathOf(CoroPeer.class, Coro.class);
        String line = PairedAb.compare("w4", 4, new String[] {build, build}, 0);
        assertTrue(line.matches("w4  jar0 [0-9.]+ us/op  jar1 [0-9.]+ us/op  jar1/jar0 [0-9.]+ \\[[0-9.]+ [0-9.]+\\]"),
                line);
    }

    @Test
    void anUnknownWorkloadIsAnError() throws Exception {
        String build = classPathOf(CoroPeer.class, Coro.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairedAb.compare("w9", 2, new String[] {build, build}, 0));
        assertTrue(e.getMessage().contains("unknown workload w9"), e.getMessage());
    }
}
