package dev.coro.transform;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoopsTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testFor() {
        Harness.checkAllModes(0 + 1 + 2 + 3 + 4, () -> Harness.run(loader, "Loops", "forLoop", 5), null);
    }

    @Test
    void testForEver_break() {
        Harness.checkAllModes(2 * (0 + 1 + 2 + 3), () -> Harness.run(loader, "Loops", "forEver", 4), null);
    }

    @Test
    void testWhile() {
        Harness.checkAllModes(120L, () -> Harness.run(loader, "Loops", "whileLoop", 5), null);
    }

    @Test
    void testDoWhile() {
        Harness.checkAllModes("x0x1x2", () -> Harness.run(loader, "Loops", "doWhile", 3), null);
    }

    @Test
    void testForEachOverList() {
        Harness.checkAllModes("A,B,C,", () -> Harness.run(loader, "Loops", "forEachList", List.of("a", "b", "c")), null);
    }

    @Test
    void testForEachOverPrimitiveArray() {
        Harness.checkAllModes(6.5, () -> Harness.run(loader, "Loops", "forEachArray", (Object) new double[] {1, 2.5, 3}), null);
    }

    @Test
    void testForEachOverObjectArray() {
        Harness.checkAllModes("pqr", () -> Harness.run(loader, "Loops", "forEachObjectArray", (Object) new String[] {"p", "q", "r"}), null);
    }

    @Test
    void testLabelledBreakAndContinue() {
        // a=0: b=0 -> 0; b=1 > a -> continue outer (no '|')
        // a=1: b=0 -> 10; b=1 -> continue inner; b=2 > a -> continue outer
        // a=2: b=0 -> 20; b=1 -> continue inner; b=2 -> got 22 -> break outer
        Harness.checkAllModes("0 10 20 ", () -> Harness.run(loader, "Loops", "labelled", 3), null);
    }

    @Test
    void testNestedLoops() {
        // a=0: row 0; a=1: row 0 * 1; a=2: (0+1) * 2; a=3: (0+1+2) * 3
        Harness.checkAllModes(2 + 9, () -> Harness.run(loader, "Loops", "nested", 4), null);
    }
}
