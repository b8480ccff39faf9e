package dev.coro.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.maven.fixtures.Bad;
import dev.coro.maven.fixtures.Good;
import dev.coro.maven.fixtures.Plain;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's work without Maven: a folder of class files compiled without the plugin. */
class InstrumenterTest {
    @TempDir
    Path work;

    private final List<String> details = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();

    private Path classes() {
        return work.resolve("classes");
    }

    private Path stateFile() {
        return work.resolve("coro/instrument.state");
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    private Path copy(Class<?> type) throws IOException {
        Path target = classes().resolve(type.getName().replace('.', '/') + ".class");
        Files.createDirectories(target.getParent());
        Files.write(target, classFile(type));
        return target;
    }

    private Instrumenter instrumenter(List<String> includes, List<String> excludes, List<Path> sourceRoots) throws Exception {
        Path runtime = Path.of(Coro.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return new Instrumenter(classes(), List.of(runtime), includes, excludes, stateFile(), sourceRoots, new Reporter() {
            @Override
            public void info(String message) {
                infos.add(message);
            }

            @Override
            public void detail(String message) {
                details.add(message);
            }

            @Override
            public void warn(String message) {
                infos.add("WARN " + message);
            }
        });
    }

    private Instrumenter instrumenter() throws Exception {
        return instrumenter(List.of(), List.of(), List.of());
    }

    @Test
    void testRun_rewritesAsyncClassesAndLeavesOthersByteForByte() throws Exception {
        Path good = copy(Good.class);
        Path plain = copy(Plain.class);

        Instrumenter.Summary summary = instrumenter().run();

        assertEquals(List.of(), summary.errors());
        assertEquals(2, summary.classesScanned());
        assertEquals(1, summary.classesRewritten());
        assertEquals(2, summary.methodsRewritten());
        assertArrayEquals(classFile(Plain.class), Files.readAllBytes(plain));
        assertFalse(java.util.Arrays.equals(classFile(Good.class), Files.readAllBytes(good)));
        assertTrue(summary.line().startsWith("rewrote 2 methods in 1 class in "), summary.line());
        assertEquals(List.of("rewrote 2 methods in dev/coro/maven/fixtures/Good.class"), details);

        // The rewritten class works: load it from the folder (not the test classpath's original).
        try (ChildFirstLoader loader = new ChildFirstLoader(classes(), "dev.coro.maven.fixtures.")) {
            Class<?> rewritten = loader.loadClass(Good.class.getName());
            assertEquals(loader, rewritten.getClassLoader());
            Coroutine<?> twice = (Coroutine<?>) rewritten.getMethod("twice").invoke(null);
            assertEquals(84, Coro.run(twice));
        }
    }

    @Test
    void testRun_secondRunRewritesNothing() throws Exception {
        Path good = copy(Good.class);
        instrumenter().run();
        byte[] afterFirst = Files.readAllBytes(good);

        Instrumenter.Summary second = instrumenter().run();

        assertEquals(0, second.classesRewritten());
        assertEquals(0, second.methodsRewritten());
        assertEquals(1, second.classesSkippedAsUnchanged());
        assertArrayEquals(afterFirst, Files.readAllBytes(good));
        assertTrue(second.line().startsWith("rewrote 0 methods in 0 classes"), second.line());
    }

    @Test
    void testRun_markerHonouredWhenTheStateIsLost() throws Exception {
        Path good = copy(Good.class);
        instrumenter().run();
        byte[] afterFirst = Files.readAllBytes(good);
        Files.delete(stateFile());

        Instrumenter.Summary second = instrumenter().run();

        assertEquals(0, second.classesRewritten());
        assertEquals(0, second.classesSkippedAsUnchanged());
        assertEquals(1, second.classesAlreadyRewritten());
        assertArrayEquals(afterFirst, Files.readAllBytes(good));
    }

    @Test
    void testRun_recompiledClassIsRewrittenAgain() throws Exception {
        Path good = copy(Good.class);
        copy(Plain.class);
        instrumenter().run();
        copy(Good.class); // javac wrote it again

        Instrumenter.Summary second = instrumenter().run();

        assertEquals(1, second.classesRewritten());
        assertEquals(1, second.classesSkippedAsUnchanged());
        assertFalse(java.util.Arrays.equals(classFile(Good.class), Files.readAllBytes(good)));
    }

    @Test
    void testRun_refusedSiteIsReportedWithFileAndLineAndClassLeftAsCompiled() throws Exception {
        Path bad = copy(Bad.class);
        copy(Good.class);
        int line = lineOf(Path.of("src/test/java/dev/coro/maven/fixtures/Bad.java"), "// BAD_LINE");

        Instrumenter.Summary summary = instrumenter().run();

        assertEquals(1, summary.errors().size(), summary.errors().toString());
        assertTrue(summary.errors().get(0).startsWith("dev/coro/maven/fixtures/Bad.java:" + line + ": "),
                summary.errors().get(0));
        assertArrayEquals(classFile(Bad.class), Files.readAllBytes(bad));
        assertEquals(1, summary.classesRewritten(), "the other classes are still rewritten");
        assertTrue(summary.line().endsWith(", 1 error)"), summary.line());

        // Not recorded as done: the next run reports it again.
        assertEquals(1, instrumenter().run().errors().size());
    }

    @Test
    void testRun_refusedSiteNamesTheAbsoluteSourceFileWhenItIsFound() throws Exception {
        copy(Bad.class);
        Path sourceRoot = Path.of("src/test/java");
        int line = lineOf(sourceRoot.resolve("dev/coro/maven/fixtures/Bad.java"), "// BAD_LINE");

        Instrumenter.Summary summary = instrumenter(List.of(), List.of(), List.of(work.resolve("nowhere"), sourceRoot)).run();

        String expected = sourceRoot.resolve("dev/coro/maven/fixtures/Bad.java").toAbsolutePath().normalize() + ":" + line + ": ";
        assertTrue(summary.errors().get(0).startsWith(expected), summary.errors().get(0));
    }

    @Test
    void testRun_includesAndExcludesSelectClassFiles() throws Exception {
        Path good = copy(Good.class);
        copy(Bad.class);

        Instrumenter.Summary onlyGood = instrumenter(List.of("dev/coro/maven/fixtures/G*"), List.of(), List.of()).run();
        assertEquals(1, onlyGood.classesScanned());
        assertEquals(List.of(), onlyGood.errors());
        assertEquals(1, onlyGood.classesRewritten());

        Files.delete(stateFile());
        copy(Good.class);
        Instrumenter.Summary noneLeft = instrumenter(List.of(), List.of("**/Good.class", "**/Bad.class"), List.of()).run();
        assertEquals(0, noneLeft.classesScanned());
        assertArrayEquals(classFile(Good.class), Files.readAllBytes(good));
    }

    @Test
    void testRun_doubleStarSlashAlsoMatchesTheTopFolder() throws Exception {
        Path top = classes().resolve("Top.class");
        Files.createDirectories(classes());
        Files.write(top, classFile(Plain.class));
        copy(Plain.class);

        Instrumenter.Summary summary = instrumenter(List.of("**/Top.class"), List.of(), List.of()).run();

        assertEquals(1, summary.classesScanned());
    }

    @Test
    void testSummaryLine_singularAndPlural() {
        assertEquals("rewrote 1 method in 1 class in 5 ms (3 class files looked at, 2 unchanged since the last run)",
                new Instrumenter.Summary(3, 2, 0, 1, 1, List.of(), List.of(), 5, List.of()).line());
        assertEquals("rewrote 12 methods in 5 classes in 40 ms (9 class files looked at, 1 already rewritten, 2 errors)",
                new Instrumenter.Summary(9, 0, 1, 5, 12, List.of("a", "b"), List.of(), 40, List.of()).line());
        assertEquals("rewrote 0 methods in 0 classes in 0 ms (1 class file looked at, 1 error)",
                new Instrumenter.Summary(1, 0, 0, 0, 0, List.of("a"), List.of(), 0, List.of()).line());
        assertEquals("rewrote 0 methods in 0 classes in 0 ms (2 class files looked at, 2 unreadable class files)",
                new Instrumenter.Summary(2, 0, 0, 0, 0, List.of(), List.of("a", "b"), 0, List.of()).line());
    }

    @Test
    void testFailureMessage_listsEverySite() {
        String message = AbstractInstrumentMojo.failureMessage(List.of("a/B.java:3: x", "a/C.java:4: y"), List.of());
        assertEquals(List.of("Coro could not rewrite 2 sites:", "a/B.java:3: x", "a/C.java:4: y"), message.lines().toList());
        String both = AbstractInstrumentMojo.failureMessage(List.of("a/B.java:3: x"), List.of("a/D.class: unreadable"));
        assertEquals(List.of("Coro could not rewrite 1 site:", "a/B.java:3: x", "Coro could not read 1 class file:",
                "a/D.class: unreadable"), both.lines().toList());
    }

    @Test
    void testRun_truncatedClassFileIsUnreadableNotARefusedSite() throws Exception {
        Path good = copy(Good.class);
        byte[] whole = classFile(Good.class);
        // cut after the constant pool's mention of Coro, as an interrupted compilation leaves it
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length * 2 / 3);
        Files.write(good, truncated);
        copy(Plain.class);

        Instrumenter.Summary summary = instrumenter().run();

        assertEquals(List.of(), summary.errors(), "not a refused site");
        assertEquals(1, summary.unreadable().size(), summary.unreadable().toString());
        String report = summary.unreadable().get(0);
        assertTrue(report.startsWith("dev/coro/maven/fixtures/Good.class: unreadable class file"
                + " (stale or broken build; try mvn clean): "), report);
        assertFalse(report.contains("please report"), report);
        assertArrayEquals(truncated, Files.readAllBytes(good), "left as it is");
        assertTrue(summary.line().endsWith(", 1 unreadable class file)"), summary.line());
        String message = AbstractInstrumentMojo.failureMessage(summary.errors(), summary.unreadable());
        assertTrue(message.startsWith("Coro could not read 1 class file:"), message);

        // not recorded as done: after a clean build the class is rewritten
        Files.write(good, whole);
        Instrumenter.Summary rebuilt = instrumenter().run();
        assertEquals(List.of(), rebuilt.unreadable());
        assertEquals(1, rebuilt.classesRewritten());
    }

    @Test
    void testRun_asyncOnInterfaceMethodIsReportedAtItsDeclaration() throws Exception {
        copy(dev.coro.maven.fixtures.AsyncInterface.class);
        Path sourceRoot = Path.of("src/test/java");

        Instrumenter.Summary summary = instrumenter(List.of(), List.of(), List.of(sourceRoot)).run();

        Path source = sourceRoot.resolve("dev/coro/maven/fixtures/AsyncInterface.java");
        assertEquals(List.of(source.toAbsolutePath().normalize() + ":" + lineOf(source, "INTERFACE_LINE")
                + ": @Async on AsyncInterface.fetch(), an abstract interface method: put @Async on the"
                + " implementations (they are rewritten one by one); an interface's static and default methods"
                + " may be @Async"), summary.errors());
    }

    private static int lineOf(Path source, String marker) throws IOException {
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not found in " + source);
    }
}
