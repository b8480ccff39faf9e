package dev.coro.transform;

import org.junit.jupiter.api.Test;

class MethodsTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testInstancePrivateGenericFinalMethods() {
        Harness.checkAllModes("201,203,p100,ss,pear,[10, 20]", () -> Harness.run(loader, "Methods", "entryInstance"), null);
    }

    @Test
    void testSynchronizedBlocksBetweenAwaits_andSynchronizedMethodsWithoutAwait() {
        Harness.checkAllModes("3 true true false", () -> Harness.run(loader, "Methods", "entrySynchronized"), null);
    }

    @Test
    void testOverloadsGetDistinctResumeMethods() {
        Harness.checkAllModes("int 1, string s", () -> Harness.run(loader, "Methods", "entryOverloads"), null);
    }

    @Test
    void testRecursion() {
        Harness.checkAllModes(55L, () -> Harness.run(loader, "Methods", "entryRecursion", 10), null);
    }

    @Test
    void testInterfacesInnerAnonymousLocalGenericRecordEnum() {
        Harness.checkAllModes("hello, world!;inner of kinds;anon1;42;u/3;Point[x=11, y=2];5;6;mul",
                () -> Harness.run(loader, "Kinds", "entry"), null);
    }

    @Test
    void testDefaultPackage() {
        Harness.checkAllModes("x@default", () -> Harness.run(loader, "DefaultPackageCorpus", "entry", "x"), null);
    }
}
