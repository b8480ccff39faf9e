package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

/** The class-level contract: marker, idempotency, the quick check, debug info, verification. */
class TransformerTest {
    private final CoroTransformer transformer =
            new CoroTransformer(ClassHierarchy.fromClassLoader(TransformerTest.class.getClassLoader()));

    static byte[] classBytes(String binaryName) throws IOException {
        return Files.readAllBytes(Harness.CLASSES.resolve(binaryName.replace('.', '/') + ".class"));
    }

    @Test
    void testMarkerAdded_andSecondRewriteIsANoOp() throws IOException {
        byte[] original = classBytes("dev.coro.transform.corpus.Basics");
        TransformResult first = transformer.transform(original);
        assertEquals(TransformResult.Status.REWRITTEN, first.status());
        assertEquals(4, first.rewrittenMethods());
        ClassNode node = new ClassNode();
        new ClassReader(first.bytes()).accept(node, 0);
        AnnotationNode marker = node.invisibleAnnotations.stream()
                .filter(a -> a.desc.equals("Ldev/coro/spi/Rewritten;")).findFirst().orElseThrow();
        assertEquals(List.of("version", 2), marker.values);
        TransformResult second = transformer.transform(first.bytes());
        assertEquals(TransformResult.Status.ALREADY_REWRITTEN, second.status());
        assertSame(first.bytes(), second.bytes());
        assertFalse(second.changed());
    }

    @Test
    void testClassWithoutAsyncIsUnchanged() throws IOException {
        byte[] bytes = classBytes("dev.coro.transform.TestMode");
        assertFalse(CoroTransformer.mayNeedRewriting(bytes));
        TransformResult result = transformer.transform(bytes);
        assertEquals(TransformResult.Status.UNCHANGED, result.status());
        assertSame(bytes, result.bytes());
        assertEquals(List.of(), result.diagnostics());
    }

    @Test
    void testMayNeedRewriting() throws IOException {
        assertTrue(CoroTransformer.mayNeedRewriting(classBytes("dev.coro.transform.corpus.Basics")));
        // only calls Coro (a lambda that awaits): mentions dev/coro/Coro
        assertTrue(CoroTransformer.mayNeedRewriting(classBytes("dev.coro.transform.refused.Refusals")));
        // calls Coro.run: mentions Coro, so the cheap check says "maybe"; transform() then finds nothing
        assertTrue(CoroTransformer.mayNeedRewriting(classBytes("dev.coro.transform.Harness")));
        assertEquals(TransformResult.Status.UNCHANGED, transformer.transform(classBytes("dev.coro.transform.Harness")).status());
        // mentions dev/coro/Coroutine only (not Coro, not Async)
        assertFalse(CoroTransformer.mayNeedRewriting(classBytes("dev.coro.transform.corpus.Lambdas$Body")));
        assertFalse(CoroTransformer.mayNeedRewriting(classBytes("dev.coro.transform.Boom")));
        assertFalse(CoroTransformer.mayNeedRewriting(new byte[] {1, 2, 3}));
        assertFalse(CoroTransformer.mayNeedRewriting(new byte[0]));
        byte[] truncated = classBytes("dev.coro.transform.corpus.Basics");
        assertFalse(CoroTransformer.mayNeedRewriting(java.util.Arrays.copyOf(truncated, 40)));
        TransformResult notAClass = transformer.transform(new byte[] {1, 2, 3});
        assertEquals(TransformResult.Status.UNREADABLE, notAClass.status());
        assertTrue(notAClass.diagnostics().get(0).message().contains("not a class file"), notAClass.diagnostics().toString());
    }

    @Test
    void testTruncatedClassFile_unreadableNotAnInternalError() throws IOException {
        byte[] whole = classBytes("dev.coro.transform.corpus.Basics");
        for (int length : new int[] {whole.length - 1, whole.length * 9 / 10, whole.length / 2}) {
            byte[] truncated = java.util.Arrays.copyOf(whole, length);
            assertTrue(CoroTransformer.mayNeedRewriting(truncated), "Coro is named before the cut at " + length);
            TransformResult result = transformer.transform(truncated);
            assertEquals(TransformResult.Status.UNREADABLE, result.status(), length + ": " + result.diagnostics());
            assertSame(truncated, result.bytes());
            assertEquals(0, result.rewrittenMethods());
            assertEquals(1, result.diagnostics().size());
            String message = result.diagnostics().get(0).message();
            assertTrue(message.startsWith("unreadable class file (stale or broken build; try mvn clean): "), message);
            assertFalse(message.contains("please report"), message);
            if (length > whole.length / 2) { // the constant pool and the header are whole
                assertEquals("dev/coro/transform/corpus/Basics", result.diagnostics().get(0).className(), "named from the header");
            }
        }
    }

    @Test
    void testUserMethodsNamedAwaitDoneJoinAreNotCoros() throws IOException {
        Harness.CorpusLoader loader = Harness.loader();
        Harness.checkAllModes("2,7,d2joined,5", () -> Harness.run(loader, "UserNames", "entry"), null);
        assertEquals(2, loader.results.get("dev.coro.transform.corpus.UserNames").rewrittenMethods());
        TestMode.reset(false, 0);
        assertEquals("x1", Harness.run(loader, "UserNames", "doneOnly"));
    }

    @Test
    void testStackTraceAfterAwaitNamesUserFileAndLine() throws Exception {
        int line = lineOf("dev/coro/transform/corpus/Traces.java", "// THROW-LINE");
        for (boolean later : new boolean[] {false, true}) {
            TestMode.reset(later, 0);
            Harness.CorpusLoader loader = Harness.loader();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Harness.run(loader, "Traces", "throwsAfterAwait", "n"));
            assertEquals("n3", e.getMessage());
            StackTraceElement top = e.getStackTrace()[0];
            assertEquals("dev.coro.transform.corpus.Traces", top.getClassName());
            assertEquals("throwsAfterAwait", top.getMethodName());
            assertEquals("Traces.java", top.getFileName());
            assertEquals(line, top.getLineNumber(), top.toString());
        }
    }

    @Test
    void testLineNumbersAndLocalVariableNamesSurvive() throws IOException {
        TransformResult result = transformer.transform(classBytes("dev.coro.transform.corpus.Traces"));
        ClassNode node = new ClassNode();
        new ClassReader(result.bytes()).accept(node, 0);
        MethodNode resume = method(node, "throwsAfterAwait", "(Ldev/coro/spi/Frame;)Ljava/lang/Object;");
        assertEquals(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, resume.access);
        Set<String> names = new TreeSet<>();
        for (LocalVariableNode v : resume.localVariables) {
            names.add(v.name + ":" + v.desc);
        }
        assertEquals(Set.of("label:Ljava/lang/String;", "count:I", "message:Ljava/lang/String;"), names);
        Set<Integer> lines = new TreeSet<>();
        for (AbstractInsnNode insn : resume.instructions) {
            if (insn instanceof LineNumberNode l) {
                lines.add(l.line);
            }
        }
        int throwLine = lineOf("dev/coro/transform/corpus/Traces.java", "// THROW-LINE");
        assertTrue(lines.containsAll(List.of(throwLine - 3, throwLine - 2, throwLine - 1, throwLine, throwLine + 2)), lines.toString());
        // the stub keeps the signature, the annotations and the parameter's name
        MethodNode stub = method(node, "throwsAfterAwait", "(Ljava/lang/String;)Ldev/coro/Coroutine;");
        assertNotNull(stub.signature);
        assertTrue(stub.invisibleAnnotations.stream().anyMatch(a -> a.desc.equals("Ldev/coro/Async;")));
        assertEquals("label", stub.localVariables.get(0).name);
    }

    @Test
    void testBrokenRewriteFailsJvmVerification() throws Exception {
        Harness.assertVerifierOn();
        TransformResult result = transformer.transform(classBytes("dev.coro.transform.corpus.Basics"));
        ClassNode node = new ClassNode();
        new ClassReader(result.bytes()).accept(node, 0);
        MethodNode resume = method(node, "several", "(Ldev/coro/spi/Frame;)Ljava/lang/Object;");
        // break it: drop the cast of a restored String (the restore code types it as Object)
        AbstractInsnNode cast = null;
        for (AbstractInsnNode insn : resume.instructions) {
            if (insn.getOpcode() == Opcodes.CHECKCAST && insn.getPrevious().getOpcode() == Opcodes.INVOKESTATIC) {
                cast = insn;
            }
        }
        assertNotNull(cast, "a restore cast");
        resume.instructions.set(cast, new InsnNode(Opcodes.NOP));
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS); // keep the (now wrong) frames
        node.accept(writer);
        byte[] broken = writer.toByteArray();
        ClassLoader loader = new ClassLoader(TransformerTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals("dev.coro.transform.corpus.Basics")) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, broken, 0, broken.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        Throwable thrown = assertThrows(Throwable.class, () -> {
            try {
                Class.forName("dev.coro.transform.corpus.Basics", true, loader).getDeclaredMethods();
            } catch (ExceptionInInitializerError e) {
                throw e.getCause();
            }
        });
        assertTrue(thrown instanceof VerifyError, thrown.toString());
    }

    @Test
    void testTwoHundredLocalsAndHundredAwaits() {
        Harness.CorpusLoader loader = Harness.loader();
        int awaits = Harness.checkAllModes(534647L, () -> Harness.run(loader, "Big", "big", 7), n -> null);
        assertEquals(100, awaits);
    }

    @Test
    void testTwoHundredLocalsAllAliveAcrossHundredAwaits() throws IOException {
        Harness.CorpusLoader loader = Harness.loader();
        int awaits = Harness.checkAllModes(26250L, () -> Harness.run(loader, "BigLive", "bigLive", 7), n -> null);
        assertEquals(100, awaits);
        // wide local slots (longs and doubles take two), every kind saved, and still one method
        ClassNode node = new ClassNode();
        new ClassReader(loader.results.get("dev.coro.transform.corpus.BigLive").bytes()).accept(node, 0);
        MethodNode resume = method(node, "bigLive", "(Ldev/coro/spi/Frame;)Ljava/lang/Object;");
        assertTrue(resume.maxLocals > 255, "slots above 255: " + resume.maxLocals);
    }

    @Test
    void testTooLargeMethodIsRefusedWithAClearMessage() {
        // only a method already near the JVM's limit before rewriting is refused for size: here
        // 65505 bytes of iinc, then one await
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(org.objectweb.asm.ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/NearTheLimit", null, "java/lang/Object", null);
        writer.visitSource("NearTheLimit.java", null);
        org.objectweb.asm.MethodVisitor code = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "huge",
                "(Ldev/coro/Awaitable;I)Ldev/coro/Coroutine;", null, null);
        code.visitAnnotation("Ldev/coro/Async;", false).visitEnd();
        code.visitCode();
        org.objectweb.asm.Label start = new org.objectweb.asm.Label();
        code.visitLabel(start);
        code.visitLineNumber(7, start);
        for (int i = 0; i < 21_835; i++) {
            code.visitIincInsn(1, 1);
        }
        code.visitVarInsn(Opcodes.ALOAD, 0);
        code.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/coro/Coro", "await", "(Ldev/coro/Awaitable;)Ljava/lang/Object;", false);
        code.visitInsn(Opcodes.POP);
        code.visitVarInsn(Opcodes.ILOAD, 1);
        code.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        code.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/coro/Coro", "done", "(Ljava/lang/Object;)Ldev/coro/Coroutine;", false);
        code.visitInsn(Opcodes.ARETURN);
        code.visitMaxs(0, 0);
        code.visitEnd();
        writer.visitEnd();
        TransformResult result = transformer.transform(writer.toByteArray());
        assertEquals(TransformResult.Status.FAILED, result.status());
        assertEquals(1, result.diagnostics().size());
        String message = result.diagnostics().get(0).format();
        assertTrue(message.startsWith("gen/NearTheLimit.java:7: "), message);
        assertTrue(message.contains("NearTheLimit.huge() is too large once rewritten"), message);
        assertTrue(message.contains("split it into smaller @Async methods"), message);
    }

    static MethodNode method(ClassNode node, String name, String desc) {
        for (MethodNode m : node.methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return m;
            }
        }
        throw new AssertionError("no " + name + desc + " in " + node.name);
    }

    static int lineOf(String source, String marker) throws IOException {
        List<String> lines = Files.readAllLines(RefusalsTest.sourceRoot().resolve(source));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not in " + source);
    }

    @Test
    void testSuspendedCoroutineKeepsOnlyLiveReferences() {
        TestMode.reset(false, 0);
        // the stub saves the three arguments; at the first await the frame keeps the two still
        // needed (the awaited promise is not); at the second, s and a but not the dropped payload;
        // the finished coroutine keeps nothing
        assertEquals("[Promise, Promise, StringBuilder] [Promise, StringBuilder] [String, String] [] pab",
                Harness.run(Harness.loader(), "Retention", "entry"));
    }
}
