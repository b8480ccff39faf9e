package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BasicsTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testOneAwait() {
        Harness.checkAllModes(42, () -> Harness.run(loader, "Basics", "one"), null);
    }

    @Test
    void testSeveralAwaits_localsOfEveryWidth() {
        Harness.checkAllModes("p7:1099511627784:4.0", () -> Harness.run(loader, "Basics", "several", "p", 7), null);
    }

    @Test
    void testAwaitsWithValuesOnTheStack() {
        Harness.checkAllModes(3 + 10 * (3 + 20), () -> Harness.run(loader, "Basics", "onStack", 3), null);
    }

    @Test
    void testNoAwait_stillLazy() {
        TestMode.reset(false, 0);
        assertNull(Harness.run(loader, "Basics", "noAwait"));
        assertEquals(0, TestMode.made);
    }
}
