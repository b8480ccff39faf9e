package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;

/**
 * Java 21+ shapes (pattern switch with {@code invokedynamic typeSwitch}, record patterns),
 * compiled at test time with Temurin 25's javac for {@code --release 21} and {@code 25}.
 * Rewriting and {@code CheckClassAdapter} always run; running the result needs a JVM >= the
 * class version, otherwise that part is skipped with a message.
 */
class Java21Test {
    private static final Path JAVAC = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/javac");

    private static Path compile(int release) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(JAVAC), "no Temurin 25 javac at " + JAVAC + ": Java 21 shapes skipped");
        Path source = RefusalsTest.sourceRoot().resolveSibling("java21/dev/coro/transform/java21/Patterns.java");
        assertTrue(Files.isRegularFile(source), source.toString());
        Path out = Files.createTempDirectory("coro-java" + release);
        String runtime = Path.of(Coro.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        List<String> command = List.of(JAVAC.toString(), "--release", String.valueOf(release), "-g", "-proc:none",
                "-cp", runtime + File.pathSeparator + Harness.CLASSES, "-d", out.toString(), source.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "javac timed out");
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {21, 25})
    void testPatternSwitchRecordPatternsSealed(int release) throws Exception {
        Path classes = compile(release);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        ClassHierarchy hierarchy = ClassHierarchy.fromClasspath(List.of(classes, Harness.CLASSES,
                Path.of(Coro.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
        CoroTransformer transformer = new CoroTransformer(hierarchy);
        int rewritten = 0;
        List<String> indys = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            TransformResult result = transformer.transform(bytes);
            assertTrue(result.status() != TransformResult.Status.FAILED, result.diagnostics().toString());
            if (result.changed()) {
                rewritten += result.rewrittenMethods();
                assertEquals(44 + release, new ClassReader(result.bytes()).readShort(6), "class version kept");
                // CheckClassAdapter loads the classes the code names; give it the originals marked
                // as Java 17 class files so that this part also runs on JDK 17
                Harness.verify(result.bytes(), new DowngradingLoader(classes));
                if (new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("typeSwitch")) {
                    indys.add(file.getFileName().toString());
                }
            }
        }
        assertEquals(4, rewritten, "describe, area, instanceofPattern, entry");
        assertEquals(List.of("Patterns.class"), indys, "the pattern switches use invokedynamic typeSwitch");

        Assumptions.assumeTrue(Runtime.version().feature() >= release, "rewritten Java " + release
                + " classes verified; running them needs a JVM >= " + release + " (this is "
                + Runtime.version().feature() + ")");
        Harness.CorpusLoader loader = new Harness.CorpusLoader(Harness.CLASSES, hierarchy, "dev.coro.transform.corpus.",
                "dev.coro.transform.java21.") {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.startsWith("dev.coro.transform.java21.")) {
                    return findIn(classes, name);
                }
                return super.findClass(name);
            }

            @Override
            protected ClassLoader verificationLoader() {
                return new DowngradingLoader(classes);
            }
        };
        Harness.checkAllModes("<big int 42><int 3!><string 4><circle 3.0><square-ish 2.0><other><null?>"
                        + "3.0 9.0 10.0 rect 3.0 not a rect",
                () -> Harness.run(loader, "dev.coro.transform.java21.Patterns", "entry"), null);
    }

    /** Serves class files of a folder with their version lowered to 61 (Java 17), for CheckClassAdapter only. */
    private static final class DowngradingLoader extends ClassLoader {
        private final Path root;

        DowngradingLoader(Path root) {
            super(Java21Test.class.getClassLoader());
            this.root = root;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            Path file = root.resolve(name.replace('.', '/') + ".class");
            try {
                byte[] bytes = Files.readAllBytes(file);
                bytes[6] = 0;
                bytes[7] = 61;
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.coro.transform.java21.")) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
