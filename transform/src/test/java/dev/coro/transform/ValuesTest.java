package dev.coro.transform;

import org.junit.jupiter.api.Test;

class ValuesTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testEveryPrimitiveInLocals() {
        Harness.checkAllModes("true 1 a 2 3 4 1.5 2.5 | false 2 b 3 12 0.75 6.25 1 null null",
                () -> Harness.run(loader, "Values", "primitivesInLocals", true, (byte) 1, 'a', (short) 2, 3, 4L, 1.5f, 2.5), null);
    }

    @Test
    void testEveryPrimitiveAndNullOnStack() {
        Harness.checkAllModes("false -1 z -2 -3 -4 -1.5 -2.5 null last",
                () -> Harness.run(loader, "Values", "primitivesOnStack", false, (byte) -1, 'z', (short) -2, -3, -4L, -1.5f, -2.5), null);
    }

    @Test
    void testLongsAndDoubles() {
        Harness.checkAllModes(Long.MAX_VALUE + " -0.0 " + (Long.MAX_VALUE - 1) + " " + Double.MIN_VALUE + " "
                        + (Long.MIN_VALUE + Long.MAX_VALUE - 1) + " true",
                () -> Harness.run(loader, "Values", "longsAndDoubles"), null);
    }

    @Test
    void testNulls() {
        Harness.checkAllModes("null null null was null true", () -> Harness.run(loader, "Values", "nulls"), null);
    }

    @Test
    void testArraysOfOneToFourDimensions() {
        Harness.checkAllModes("[1, 2][[3], [4, 5]][[[null], [deep]]][[[[four]]]]ok",
                () -> Harness.run(loader, "Values", "arrays"), null);
    }

    @Test
    void testMultiDimensionalArrayOnStack() {
        Harness.checkAllModes(9 + 20, () -> Harness.run(loader, "Values", "multiDimensionalOnStack"), null);
    }

    @Test
    void testVarargsArrayOnStack() {
        Harness.checkAllModes("1-two-3-4", () -> Harness.run(loader, "Values", "varargsOnStack"), null);
    }

    @Test
    void testVarargsMethod() {
        Harness.checkAllModes("h63", () -> Harness.run(loader, "Values", "varargsMethod", "h", new int[] {1, 2, 3}), null);
    }

    @Test
    void testSameNameInDisjointScopes() {
        Harness.checkAllModes("1s2.58", () -> Harness.run(loader, "Scopes", "sameNameDisjointScopes", true), null);
        Harness.checkAllModes("1s2.5o", () -> Harness.run(loader, "Scopes", "sameNameDisjointScopes", false), null);
    }

    @Test
    void testLocalsMergedToCommonSupertype() {
        Harness.checkAllModes("[a][a, b]1LinkedList", () -> Harness.run(loader, "Scopes", "commonSupertype", true), null);
        Harness.checkAllModes("[a, b][a, b]2ArrayList", () -> Harness.run(loader, "Scopes", "commonSupertype", false), null);
    }

    @Test
    void testApplicationClassesMergedToCommonSuperclass() {
        Harness.checkAllModes("meow meow woof!", () -> Harness.run(loader, "Scopes", "applicationHierarchy", 0), null);
        Harness.checkAllModes("yip yip yip!", () -> Harness.run(loader, "Scopes", "applicationHierarchy", 2), null);
    }

    @Test
    void testMergeToInaccessibleJdkClass() {
        Harness.checkAllModes("b<!>1", () -> Harness.run(loader, "Scopes", "inaccessibleCommonSuperclass", true), null);
        Harness.checkAllModes("f<!>1", () -> Harness.run(loader, "Scopes", "inaccessibleCommonSuperclass", false), null);
    }

    @Test
    void testLocalsOfClassesThisPackageCannotName() {
        Harness.checkAllModes("secret!secret", () -> Harness.run(loader, "Scopes", "inaccessibleApplicationClass", true), null);
        Harness.checkAllModes("secret!other", () -> Harness.run(loader, "Scopes", "inaccessibleApplicationClass", false), null);
    }
}
