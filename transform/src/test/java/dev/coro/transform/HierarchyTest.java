package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.MethodNode;

/** The class hierarchies the plugin and the agent use, and what happens without them. */
class HierarchyTest {
    @Test
    void testFromClasspath_foldersJarsAndTheJdk(@TempDir Path temp) throws IOException {
        Path jar = temp.resolve("lib.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("dev/coro/transform/corpus/Scopes$Dog.class"));
            out.write(TransformerTest.classBytes("dev.coro.transform.corpus.Scopes$Dog"));
            out.closeEntry();
        }
        Path folder = temp.resolve("classes");
        Path cat = folder.resolve("dev/coro/transform/corpus/Scopes$Cat.class");
        Files.createDirectories(cat.getParent());
        Files.write(cat, TransformerTest.classBytes("dev.coro.transform.corpus.Scopes$Cat"));
        try (ClasspathHierarchy hierarchy = ClassHierarchy.fromClasspath(List.of(folder, jar, temp.resolve("missing.jar")))) {
            ClassHierarchy.ClassInfo dog = hierarchy.lookup("dev/coro/transform/corpus/Scopes$Dog");
            assertEquals("dev/coro/transform/corpus/Scopes$Animal", dog.superName());
            assertFalse(dog.isInterface());
            assertSame(dog, hierarchy.lookup("dev/coro/transform/corpus/Scopes$Dog"), "cached");
            assertEquals("dev/coro/transform/corpus/Scopes$Animal",
                    hierarchy.lookup("dev/coro/transform/corpus/Scopes$Cat").superName());
            assertNull(hierarchy.lookup("dev/coro/transform/corpus/Scopes$Animal"), "not on this classpath");
            ClassHierarchy.ClassInfo list = hierarchy.lookup("java/util/ArrayList");
            assertEquals("java/util/AbstractList", list.superName());
            assertTrue(List.of(list.interfaces()).contains("java/util/List"));
            assertTrue(hierarchy.lookup("java/util/List").isInterface());
            assertNull(hierarchy.lookup("java/lang/Object").superName());
            assertNull(hierarchy.lookup("no/such/Clazz"));
        }
    }

    @Test
    void testFromClassLoader() {
        ClassHierarchy hierarchy = ClassHierarchy.fromClassLoader(HierarchyTest.class.getClassLoader());
        ClassHierarchy.ClassInfo puppy = hierarchy.lookup("dev/coro/transform/corpus/Scopes$Puppy");
        assertEquals("dev/coro/transform/corpus/Scopes$Dog", puppy.superName());
        assertArrayEquals(new String[0], puppy.interfaces());
        assertSame(puppy, hierarchy.lookup("dev/coro/transform/corpus/Scopes$Puppy"));
        assertTrue(hierarchy.lookup("dev/coro/Awaitable").isInterface());
        assertEquals("java/lang/Object", hierarchy.lookup("java/lang/String").superName());
        assertNull(hierarchy.lookup("no/such/Clazz"));
        assertEquals("java/lang/Number", ClassHierarchy.fromClassLoader(null).lookup("java/lang/Integer").superName());
    }

    @Test
    void testFromClassLoaderAndFromClasspath_readClassFilesTheSameWay() {
        // one reader for the agent and the plugin: same answers, access flags included (issue 13)
        ClassHierarchy loader = ClassHierarchy.fromClassLoader(getClass().getClassLoader());
        try (ClasspathHierarchy path = ClassHierarchy.fromClasspath(List.of(Harness.CLASSES))) {
            for (String name : List.of("java/lang/AbstractStringBuilder", "java/lang/StringBuilder",
                    "java/util/List", "dev/coro/transform/corpus/Scopes$Dog",
                    "dev/coro/transform/corpus/other/Hidden")) {
                ClassHierarchy.ClassInfo fromLoader = loader.lookup(name);
                ClassHierarchy.ClassInfo fromPath = path.lookup(name);
                assertEquals(fromPath.superName(), fromLoader.superName(), name);
                assertArrayEquals(fromPath.interfaces(), fromLoader.interfaces(), name);
                assertEquals(fromPath.isInterface(), fromLoader.isInterface(), name);
                assertEquals(fromPath.access(), fromLoader.access(), name);
            }
        }
        assertFalse(loader.lookup("java/lang/AbstractStringBuilder").isPublic());
        assertFalse(ClassHierarchy.fromClassLoader(null).lookup("java/lang/AbstractStringBuilder").isPublic());
    }

    @Test
    void testFromClassLoader_holdsTheLoaderWeakly() throws Exception {
        java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {Harness.CLASSES.toUri().toURL()}, null);
        ClassHierarchy hierarchy = ClassHierarchy.fromClassLoader(loader);
        assertEquals("dev/coro/transform/corpus/Scopes$Animal",
                hierarchy.lookup("dev/coro/transform/corpus/Scopes$Dog").superName());
        java.lang.ref.WeakReference<ClassLoader> weak = new java.lang.ref.WeakReference<>(loader);
        loader.close();
        loader = null;
        for (int i = 0; i < 50 && weak.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(weak.get(), "the hierarchy (still reachable here) must not keep its loader alive");
        assertEquals("dev/coro/transform/corpus/Scopes$Animal",
                hierarchy.lookup("dev/coro/transform/corpus/Scopes$Dog").superName(), "answers given stay cached");
        assertNull(hierarchy.lookup("dev/coro/transform/corpus/Scopes$Cat"), "the loader is gone: nothing new is defined by it");
        assertEquals("java/util/AbstractList", hierarchy.lookup("java/util/ArrayList").superName());
    }

    @Test
    void testUnknownApplicationClassesNeededForFrames_clearDiagnostic() throws IOException {
        // a hierarchy that knows only the JDK: merging Cat and Dog cannot be computed
        CoroTransformer blind = new CoroTransformer(name -> null);
        TransformResult result = blind.transform(TransformerTest.classBytes("dev.coro.transform.corpus.Scopes"));
        assertEquals(TransformResult.Status.FAILED, result.status());
        String message = result.diagnostics().get(0).format();
        assertTrue(message.startsWith("dev/coro/transform/corpus/Scopes.java:?: cannot rewrite Scopes:"), message);
        assertTrue(message.contains("dev.coro.transform.corpus.Scopes$Cat"), message);
        assertTrue(message.contains("put them on the classpath"), message);
        // classes whose frames only merge JDK types need no hierarchy at all
        assertEquals(TransformResult.Status.REWRITTEN,
                blind.transform(TransformerTest.classBytes("dev.coro.transform.corpus.Loops")).status());
        assertEquals(TransformResult.Status.REWRITTEN,
                new CoroTransformer(null).transform(TransformerTest.classBytes("dev.coro.transform.corpus.Basics")).status());
    }

    @Test
    void testOldClassFileWithoutFramesIsMovedToJava8() throws Exception {
        ClassNode node = new ClassNode();
        new ClassReader(TransformerTest.classBytes("dev.coro.transform.corpus.OldStyle")).accept(node, 0);
        node.version = Opcodes.V1_5;
        for (MethodNode m : node.methods) {
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                if (insn instanceof FrameNode) {
                    m.instructions.remove(insn);
                }
            }
        }
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        byte[] java5 = writer.toByteArray();
        TransformResult result = new CoroTransformer(ClassHierarchy.fromClassLoader(getClass().getClassLoader())).transform(java5);
        assertEquals(TransformResult.Status.REWRITTEN, result.status());
        assertEquals(Opcodes.V1_8, new ClassReader(result.bytes()).readShort(6));
        Harness.verify(result.bytes(), getClass().getClassLoader());
        byte[] rewritten = result.bytes();
        Harness.CorpusLoader loader = new Harness.CorpusLoader(Harness.CLASSES, "dev.coro.transform.corpus.") {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals("dev.coro.transform.corpus.OldStyle")) {
                    return defineClass(name, rewritten, 0, rewritten.length);
                }
                return super.findClass(name);
            }
        };
        Harness.checkAllModes(0 + 1 + 2 + 3, () -> Harness.run(loader, "OldStyle", "sum", 4), null);
    }

    @Test
    void testClassWithoutDebugInformation() throws Exception {
        // javac -g:none: no line numbers, no local variable names; still rewritten and run
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(TransformerTest.classBytes("dev.coro.transform.corpus.Tries")).accept(writer, ClassReader.SKIP_DEBUG);
        byte[] stripped = writer.toByteArray();
        TransformResult result = new CoroTransformer(ClassHierarchy.fromClassLoader(getClass().getClassLoader())).transform(stripped);
        assertEquals(TransformResult.Status.REWRITTEN, result.status());
        Harness.verify(result.bytes(), getClass().getClassLoader());
        byte[] rewritten = result.bytes();
        Harness.CorpusLoader loader = new Harness.CorpusLoader(Harness.CLASSES, "dev.coro.transform.corpus.") {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals("dev.coro.transform.corpus.Tries")) {
                    return defineClass(name, rewritten, 0, rewritten.length);
                }
                return super.findClass(name);
            }
        };
        Harness.checkAllModes("open r,use x,use y,close", () -> Harness.run(loader, "Tries", "tryWithResources"),
                n -> switch (n) {
                    case 1 -> "caught fail 1";
                    case 2 -> "open r,close,caught fail 2";
                    default -> "open r,use x,close,caught fail 3";
                });
    }

    @Test
    void testInternalErrorsBecomeADiagnosticNotACrash() throws IOException {
        byte[] bytes = TransformerTest.classBytes("dev.coro.transform.corpus.Scopes");
        CoroTransformer broken = new CoroTransformer(name -> {
            throw new IllegalStateException("hierarchy exploded on " + name);
        });
        TransformResult result = broken.transform(bytes);
        assertEquals(TransformResult.Status.FAILED, result.status());
        assertSame(bytes, result.bytes());
        String message = result.diagnostics().get(0).format();
        assertTrue(message.startsWith("dev/coro/transform/corpus/Scopes.java:?: Coro could not rewrite Scopes (internal error: "
                + "java.lang.IllegalStateException: hierarchy exploded on "), message);
        assertTrue(message.endsWith("please report it with this class file"), message);
    }
}
