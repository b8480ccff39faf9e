package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** Every refusal: one diagnostic per site, with File.java:line, the method and the fix. */
class RefusalsTest {
    private static final String SOURCE = "dev/coro/transform/refused/Refusals.java";

    private static int line(String kind, int occurrence) throws IOException {
        Path source = sourceRoot().resolve(SOURCE);
        List<String> lines = Files.readAllLines(source);
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// REFUSED:" + kind)) {
                if (++seen == occurrence) {
                    return i + 1;
                }
            }
        }
        throw new AssertionError("no marker " + kind + " #" + occurrence + " in " + source);
    }

    static Path sourceRoot() {
        // Maven runs the tests in the module folder
        for (Path candidate : new Path[] {Path.of("src/test/java"), Path.of("transform/src/test/java"),
                Path.of("/work/main/transform/src/test/java")}) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("cannot find the test sources from " + Path.of("").toAbsolutePath());
    }

    private static byte[] classBytes(String binaryName) throws IOException {
        return Files.readAllBytes(Harness.CLASSES.resolve(binaryName.replace('.', '/') + ".class"));
    }

    private static TransformResult transform(byte[] bytes) {
        return new CoroTransformer(ClassHierarchy.fromClassLoader(RefusalsTest.class.getClassLoader())).transform(bytes);
    }

    private static void assertDiagnostic(List<Diagnostic> diagnostics, String kind, int occurrence, String method,
                                         String... fragments) throws IOException {
        int line = line(kind, occurrence);
        for (Diagnostic d : diagnostics) {
            if (d.line() == line && d.methodName().equals(method)) {
                String formatted = d.format();
                assertTrue(formatted.startsWith(SOURCE + ":" + line + ": "), formatted);
                for (String fragment : fragments) {
                    assertTrue(formatted.contains(fragment), "'" + fragment + "' in " + formatted);
                }
                return;
            }
        }
        throw new AssertionError("no diagnostic for " + kind + " at line " + line + " in " + method + ": " + diagnostics);
    }

    @Test
    void testEveryRefusalIsReportedWithFileLineMethodAndFix() throws IOException {
        byte[] bytes = classBytes("dev.coro.transform.refused.Refusals");
        TransformResult result = transform(bytes);
        assertEquals(TransformResult.Status.FAILED, result.status(), result.diagnostics().toString());
        assertSame(bytes, result.bytes());
        List<Diagnostic> d = result.diagnostics();
        assertDiagnostic(d, "not-async", 1, "notAsync", "await() in Refusals.notAsync(), which is not @Async", "add @Async");
        assertDiagnostic(d, "not-async", 2, "plainMethod", "Refusals.plainMethod()", "which is not @Async");
        assertDiagnostic(d, "monitor", 1, "underMonitor", "synchronized block in Refusals.underMonitor()", "end the synchronized block");
        assertDiagnostic(d, "synchronized", 1, "synchronizedMethod", "Refusals.synchronizedMethod(), which is synchronized");
        assertDiagnostic(d, "return-type", 1, "notCoroutine", "which returns int", "must return dev.coro.Coroutine");
        assertDiagnostic(d, "lambda", 1, "lambda$lambdaNotReturningCoroutine$0",
                "a lambda in Refusals.lambdaNotReturningCoroutine()", "which does not return Coroutine");
        assertDiagnostic(d, "method-reference", 1, "methodReference", "method reference Coro::await");
        assertDiagnostic(d, "initializer", 1, "<clinit>", "await() in the static initializer of Refusals, which cannot suspend");
        List<String> abstractAndNative = new ArrayList<>();
        for (Diagnostic diagnostic : d) {
            if (diagnostic.methodName().equals("abstractMethod") || diagnostic.methodName().equals("nativeMethod")) {
                abstractAndNative.add(diagnostic.format());
            }
        }
        // no code, so no line number: the diagnostic still names the file, the method and the fix
        assertEquals(List.of(
                SOURCE + ":?: @Async on Refusals.abstractMethod(), which is abstract: put @Async on the implementations"
                        + " (they are rewritten one by one)",
                SOURCE + ":?: @Async on Refusals.nativeMethod(), which is native: only Java method bodies can be"
                        + " rewritten; remove @Async"), abstractAndNative);
        assertEquals(10, d.size(), d.toString());
    }

    @Test
    void testAsyncConstructorIsRefused() throws IOException {
        ClassNode node = new ClassNode();
        new ClassReader(classBytes("dev.coro.transform.refused.Refusals$ConstructorTarget")).accept(node, 0);
        for (MethodNode m : node.methods) {
            if (m.name.equals("<init>")) {
                m.invisibleAnnotations = new ArrayList<>(List.of(new AnnotationNode("Ldev/coro/Async;")));
            }
        }
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        TransformResult result = transform(writer.toByteArray());
        assertEquals(TransformResult.Status.FAILED, result.status());
        assertEquals(1, result.diagnostics().size());
        Diagnostic d = result.diagnostics().get(0);
        assertEquals(line("constructor", 1), d.line(), d.format()); // the constructor's first line of code
        assertTrue(d.format().contains("@Async on a constructor of Refusals$ConstructorTarget"), d.format());
    }
}
