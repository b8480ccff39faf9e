package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/** Code size once rewritten: no method javac accepts is refused for size (issue 13, defect 2). */
class SizesTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testTwoLocalsPerAwait_120Locals60Awaits_notRefusedAndRuns() {
        // a_k = k + 1; b_k = 3 a_k (even k) or "x" + a_k (odd k, its length is summed)
        Harness.checkAllModes(4616L, () -> Harness.run(loader, "Sizes", "twoLocalsPerAwait", 1), null);
    }

    @Test
    void testChain_doesNotCarryALocalThatAnEarlierResumeDropped() {
        Harness.checkAllModes("a5yy2bc120", () -> Harness.run(loader, "Chains", "deadLocalDroppedByAnEarlierResume"), null);
    }

    @Test
    void testTwoLocalsPerAwait_codeSizeGrowsLinearly() throws IOException {
        byte[] original = TransformerTest.classBytes("dev.coro.transform.corpus.Sizes");
        TransformResult result = new CoroTransformer(ClassHierarchy.fromClassLoader(getClass().getClassLoader()))
                .transform(original);
        assertEquals(TransformResult.Status.REWRITTEN, result.status(), result.diagnostics().toString());
        int before = codeSizes(original).get("twoLocalsPerAwait(I)Ldev/coro/Coroutine;");
        int after = codeSizes(result.bytes()).get("twoLocalsPerAwait(Ldev/coro/spi/Frame;)Ljava/lang/Object;");
        System.out.println("Sizes.twoLocalsPerAwait: " + before + " bytes of code compiled, " + after + " rewritten");
        // each local is saved and restored in one place (the chain's ladder), not once per await:
        // the rewritten method stays within a small multiple of the original (it was 70531 bytes)
        assertTrue(after < 4 * before, before + " -> " + after);
    }

    @Test
    void testLongsAcrossAwaits_150LongsAcross100Awaits_notRefusedAndRuns() throws IOException {
        // sum of 0..149, plus 1 for each of the 100 awaits
        assertEquals(11275L, Harness.run(loader, "LongsAcrossAwaits", "longsAcrossAwaits", dev.coro.Coro.done(1)));
        TransformResult result = loader.results.get("dev.coro.transform.corpus.LongsAcrossAwaits");
        int before = codeSizes(TransformerTest.classBytes("dev.coro.transform.corpus.LongsAcrossAwaits"))
                .get("longsAcrossAwaits(Ldev/coro/Coroutine;)Ldev/coro/Coroutine;");
        int after = codeSizes(result.bytes()).get("longsAcrossAwaits(Ldev/coro/spi/Frame;)Ljava/lang/Object;");
        System.out.println("LongsAcrossAwaits.longsAcrossAwaits: " + before + " bytes of code compiled, " + after + " rewritten");
        assertTrue(after < 8 * before, before + " -> " + after + " (it was 351120)");
    }

    /**
     * The {@code code_length} of each method's {@code Code} attribute, by name and descriptor.
     *
     * @param classFile a class file
     * @return sizes in bytes
     */
    static Map<String, Integer> codeSizes(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        char[] buffer = new char[reader.getMaxStringLength()];
        int offset = reader.header + 6;
        offset += 2 + 2 * reader.readUnsignedShort(offset); // interfaces
        int fields = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < fields; i++) {
            offset = skipMember(reader, offset);
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        int methods = reader.readUnsignedShort(offset);
        offset += 2;
        for (int i = 0; i < methods; i++) {
            String name = reader.readUTF8(offset + 2, buffer);
            String descriptor = reader.readUTF8(offset + 4, buffer);
            int attributes = reader.readUnsignedShort(offset + 6);
            int attribute = offset + 8;
            for (int a = 0; a < attributes; a++) {
                if (reader.readUTF8(attribute, buffer).equals("Code")) {
                    sizes.put(name + descriptor, reader.readInt(attribute + 10));
                }
                attribute += 6 + reader.readInt(attribute + 2);
            }
            offset = attribute;
        }
        return sizes;
    }

    private static int skipMember(ClassReader reader, int offset) {
        int attributes = reader.readUnsignedShort(offset + 6);
        int attribute = offset + 8;
        for (int a = 0; a < attributes; a++) {
            attribute += 6 + reader.readInt(attribute + 2);
        }
        return attribute;
    }
}
