package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.AwaitSites;
import dev.coro.spi.Rewritten;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * What the rewriter records in the class: {@code @AwaitSites} on each resume method, and the
 * format version checked when the class is initialized ({@code FormatCheck}).
 */
class MetadataTest {
    private static final String CORPUS = "dev.coro.transform.corpus.Metadata";
    private static final List<String> CLASSES = List.of(CORPUS, CORPUS + "$Service", CORPUS + "$Color",
            CORPUS + "$Point");

    /** method name -> lines by state, from the {@code // method@k} comments of Metadata.java. */
    private static Map<String, int[]> expectedSites() throws IOException {
        Path source = Path.of("src/test/java/dev/coro/transform/corpus/Metadata.java");
        List<String> text = Files.readAllLines(source);
        Map<String, TreeMap<Integer, Integer>> byMethod = new TreeMap<>();
        Pattern tag = Pattern.compile("([\\w$]+)@(\\d+)");
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            int comment = line.indexOf("// ");
            if (comment < 0 || !line.contains("await(")) {
                continue;
            }
            Matcher m = tag.matcher(line.substring(comment));
            while (m.find()) {
                byMethod.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), i + 1);
            }
        }
        Map<String, int[]> result = new TreeMap<>();
        byMethod.forEach((method, states) -> {
            assertEquals(states.size(), (int) states.lastKey(), "states of " + method + " in Metadata.java");
            result.put(method, states.values().stream().mapToInt(Integer::intValue).toArray());
        });
        return result;
    }

    @Test
    void testAwaitSitesNameEveryStateLine_readReflectively() throws Exception {
        Map<String, int[]> expected = expectedSites();
        Harness.CorpusLoader loader = Harness.loader();
        Map<String, AwaitSites> found = new TreeMap<>();
        for (String name : CLASSES) {
            Class<?> c = Harness.load(loader, name);
            for (Method m : c.getDeclaredMethods()) {
                AwaitSites sites = m.getAnnotation(AwaitSites.class);
                if (sites != null) {
                    assertTrue(m.isSynthetic() && java.lang.reflect.Modifier.isStatic(m.getModifiers()), m.toString());
                    assertEquals(1, m.getParameterCount(), m.toString());
                    assertEquals("Metadata.java", sites.file());
                    assertTrue(sites.line() > 0, m + " first line");
                    found.put(sites.method(), sites);
                }
            }
        }
        for (Map.Entry<String, int[]> entry : expected.entrySet()) {
            AwaitSites sites = found.get(entry.getKey());
            assertNotNull(sites, "no @AwaitSites for " + entry.getKey() + " in " + found.keySet());
            assertArrayEquals(entry.getValue(), sites.lines(), entry.getKey() + ": lines by state");
        }
        assertArrayEquals(new int[0], found.get("none").lines(), "a method without awaits has no sites");
        // the first line is the method's first statement: straight's first await is on its first line
        assertEquals(expected.get("straight")[0], found.get("straight").line());
        // and the rewritten code still runs (the metadata changed nothing else)
        assertEquals(6, Harness.run(loader, "Metadata", "straight"));
        assertEquals(103, Harness.run(loader, "Metadata", "loop", 3));
        assertEquals("tf", Harness.run(loader, "Metadata", "tryFinally", false));
        assertEquals("tcf", Harness.run(loader, "Metadata", "tryFinally", true));
        assertEquals(26L, Harness.run(loader, "Metadata", "chain"));
        assertEquals(3, Harness.run(loader, CORPUS + "$Service", "make"));
        assertEquals(0, Harness.run(loader, CORPUS + "$Color", "red"));
        assertEquals(3, Harness.run(loader, CORPUS + "$Point", "of12"));
    }

    @Test
    void testAwaitSitesWithSharedChains_sameLines() throws Exception {
        Map<String, int[]> expected = expectedSites();
        CoroTransformer sharing = new CoroTransformer(
                ClassHierarchy.fromClassLoader(MetadataTest.class.getClassLoader()), 0);
        int checked = 0;
        for (String name : CLASSES) {
            TransformResult result = sharing.transform(TransformerTest.classBytes(name));
            assertEquals(TransformResult.Status.REWRITTEN, result.status(), result.diagnostics().toString());
            ClassNode node = new ClassNode();
            new ClassReader(result.bytes()).accept(node, 0);
            for (MethodNode m : node.methods) {
                AnnotationNode sites = m.visibleAnnotations == null ? null : m.visibleAnnotations.stream()
                        .filter(a -> a.desc.equals("Ldev/coro/spi/AwaitSites;")).findFirst().orElse(null);
                if (sites == null) {
                    continue;
                }
                String method = (String) sites.values.get(sites.values.indexOf("method") + 1);
                @SuppressWarnings("unchecked")
                List<Integer> lines = (List<Integer>) sites.values.get(sites.values.indexOf("lines") + 1);
                int[] want = expected.getOrDefault(method, new int[0]);
                assertArrayEquals(want, lines.stream().mapToInt(Integer::intValue).toArray(), method);
                checked++;
            }
        }
        assertEquals(13, checked, "resume methods seen");
    }

    @Test
    void testFormatVersion_rewriterAndRuntimeAgree() {
        assertEquals(Rewritten.CURRENT_VERSION, Names.FORMAT_VERSION);
        assertEquals(2, Rewritten.CURRENT_VERSION);
    }

    @Test
    void testCurrentVersionLoads_otherVersionFailsAtInitialization() throws Exception {
        for (String name : CLASSES) {
            byte[] rewritten = new CoroTransformer(ClassHierarchy.fromClassLoader(MetadataTest.class.getClassLoader()))
                    .transform(TransformerTest.classBytes(name)).bytes();
            Class<?> current = Class.forName(name, true, new OneClassLoader(name, rewritten));
            assertEquals(name, current.getName());

            byte[] patched = withVersion(rewritten, 1);
            ClassLoader loader = new OneClassLoader(name, patched);
            IncompatibleClassChangeError error = assertThrows(IncompatibleClassChangeError.class,
                    () -> Class.forName(name, true, loader), name);
            String message = error.getMessage();
            assertTrue(message.contains(name + " was rewritten in format version 1"), message);
            assertTrue(message.contains("reads format version 2"), message);
            assertTrue(message.contains("mvn clean package") && message.contains("-javaagent"), message);
        }
    }

    @Test
    void testClassRewrittenInAnotherFormat_isRefusedNotLeftAlone() throws Exception {
        CoroTransformer transformer = new CoroTransformer(ClassHierarchy.fromClassLoader(MetadataTest.class.getClassLoader()));
        byte[] rewritten = transformer.transform(TransformerTest.classBytes(CORPUS)).bytes();
        assertEquals(TransformResult.Status.ALREADY_REWRITTEN, transformer.transform(rewritten).status());
        ClassNode node = new ClassNode();
        new ClassReader(rewritten).accept(node, 0);
        AnnotationNode marker = node.invisibleAnnotations.stream()
                .filter(a -> a.desc.equals("Ldev/coro/spi/Rewritten;")).findFirst().orElseThrow();
        marker.values.set(1, 1); // as a format 1 plugin wrote it (those had no load-time check)
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);

        TransformResult stale = transformer.transform(writer.toByteArray());

        assertEquals(TransformResult.Status.FAILED, stale.status());
        assertEquals("dev/coro/transform/corpus/Metadata.java:?: Metadata was rewritten by another Coro release"
                + " (format version 1; this rewriter writes and this coro-runtime reads version 2), a stale build:"
                + " run `mvn clean package` to compile and rewrite it again", stale.diagnostics().get(0).format());
    }

    /** The rewritten class with the version constant of its static initializer's check replaced. */
    private static byte[] withVersion(byte[] rewritten, int version) {
        ClassNode node = new ClassNode();
        new ClassReader(rewritten).accept(node, 0);
        MethodNode clinit = node.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElseThrow();
        AbstractInsnNode first = clinit.instructions.getFirst();
        while (first.getOpcode() < 0) {
            first = first.getNext();
        }
        assertEquals(Opcodes.ICONST_2, first.getOpcode(), "the check comes first in <clinit>");
        clinit.instructions.set(first, new InsnNode(Opcodes.ICONST_0 + version));
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        return writer.toByteArray();
    }

    /** Defines one class from bytes; everything else comes from the test's loader. */
    private static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(String name, byte[] bytes) {
            super(MetadataTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (!className.equals(name)) {
                return super.loadClass(className, resolve);
            }
            synchronized (getClassLoadingLock(className)) {
                Class<?> c = findLoadedClass(className);
                return c != null ? c : defineClass(className, bytes, 0, bytes.length);
            }
        }
    }
}
