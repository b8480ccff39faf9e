package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never-awaited coroutines at build time: a call whose {@code Coroutine} result is thrown away,
 * in the output of javac and of ECJ.
 */
class NeverAwaitedTest {
    private static final Path SOURCE = Path.of("src/test/resources/neverawaited/Calls.java");

    @TempDir
    Path work;

    private static List<String> options(Path output) throws Exception {
        Path runtime = Path.of(Coro.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path junit = Path.of(org.junit.jupiter.api.Assertions.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        return new ArrayList<>(List.of("--release", "17", "-g", "-proc:none", "-nowarn", "-encoding", "UTF-8",
                "-d", output.toString(), "-cp", runtime + File.pathSeparator + junit, SOURCE.toString()));
    }

    private Path javac() throws Exception {
        Path out = Files.createDirectories(work.resolve("javac"));
        java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, messages, messages,
                options(out).toArray(new String[0]));
        assertEquals(0, status, messages.toString(StandardCharsets.UTF_8));
        return out;
    }

    private Path ecj() throws Exception {
        Path out = Files.createDirectories(work.resolve("ecj"));
        StringWriter messages = new StringWriter();
        boolean ok = BatchCompiler.compile(options(out).toArray(new String[0]), new PrintWriter(messages),
                new PrintWriter(messages), null);
        assertTrue(ok, messages.toString());
        return out;
    }

    /** The lines marked {@code // never} in Calls.java. */
    private static List<Integer> markedLines() throws Exception {
        List<String> lines = Files.readAllLines(SOURCE);
        List<Integer> marked = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// never")) {
                marked.add(i + 1);
            }
        }
        return marked;
    }

    private static List<Diagnostic> warnings(Path classes, CoroTransformer transformer) throws Exception {
        List<Diagnostic> all = new ArrayList<>();
        try (var files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                TransformResult result = transformer.transform(Files.readAllBytes(file));
                assertTrue(result.status() != TransformResult.Status.FAILED, result.diagnostics().toString());
                all.addAll(result.warnings());
            }
        }
        all.sort(java.util.Comparator.comparingInt(Diagnostic::line));
        return all;
    }

    private static void assertReported(Path classes) throws Exception {
        CoroTransformer transformer = new CoroTransformer(
                ClassHierarchy.fromClassLoader(NeverAwaitedTest.class.getClassLoader())).reportingNeverAwaited();
        List<Diagnostic> found = warnings(classes, transformer);
        List<Integer> lines = found.stream().map(Diagnostic::line).toList();
        assertEquals(markedLines(), lines, found.toString());
        List<String> source = Files.readAllLines(SOURCE);
        for (Diagnostic warning : found) {
            String callee = source.get(warning.line() - 1).contains("member()") ? "Calls.member(...)"
                    : source.get(warning.line() - 1).contains("sleep") ? "Coro.sleep(...)" : "Calls.fetch(...)";
            assertEquals("na/Calls.java:" + warning.line() + ": the coroutine returned by " + callee
                    + " is never awaited: await it, or spawn it (Coro.spawn / createTask) to run it in the"
                    + " background", warning.format());
        }
    }

    @Test
    void testDiscardedCoroutinesReported_javac() throws Exception {
        assertReported(javac());
    }

    @Test
    void testDiscardedCoroutinesReported_ecj() throws Exception {
        assertReported(ecj());
    }

    @Test
    void testNotReportedUnlessAsked() throws Exception {
        CoroTransformer plain = new CoroTransformer(
                ClassHierarchy.fromClassLoader(NeverAwaitedTest.class.getClassLoader()));
        assertEquals(List.of(), warnings(javac(), plain));
    }

    @Test
    void testQuickCheck_classThatOnlyCallsCoroutineMethods() throws Exception {
        // Lambdas$Body mentions dev/coro/Coroutine only: not a class to rewrite, but one to look at
        byte[] bytes = TransformerTest.classBytes("dev.coro.transform.corpus.Lambdas$Body");
        assertTrue(CoroTransformer.mayCallCoroutines(bytes));
        assertTrue(!CoroTransformer.mayCallCoroutines(TransformerTest.classBytes("dev.coro.transform.TestMode")));
    }
}
