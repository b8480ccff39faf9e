package dev.coro.transform;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExprsTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testConditional() {
        Harness.checkAllModes("yes5", () -> Harness.run(loader, "Exprs", "conditional", true), null);
        Harness.checkAllModes("no1", () -> {
            Object r = Harness.run(loader, "Exprs", "conditional", false);
            Harness.run(loader, "Basics", "one"); // keeps the run awaiting something
            return r;
        }, null);
    }

    @Test
    void testAndOr() {
        Harness.checkAllModes("true,true,true", () -> Harness.run(loader, "Exprs", "andOr", true), null);
        Harness.checkAllModes("false,false,true", () -> Harness.run(loader, "Exprs", "andOr", false), null);
    }

    @Test
    void testStringConcatenation() {
        Harness.checkAllModes("p42+c7z2.5", () -> Harness.run(loader, "Exprs", "concat", "p", 42L, 'c'), null);
    }

    @Test
    void testArrayInitializers() {
        Harness.checkAllModes("[1, 2, 3, 4][[x, y], [z]]", () -> Harness.run(loader, "Exprs", "arrayInitializer"), null);
    }

    @Test
    void testMethodArgumentsOnTheStack() {
        Harness.checkAllModes(5 + 10 + 3 + 1 + 2 + 1, () -> Harness.run(loader, "Exprs", "argumentsOnStack", 5), null);
    }

    @Test
    void testConstructorArgument_uninitializedObject() {
        Harness.checkAllModes("(a)", () -> Harness.run(loader, "Exprs", "constructorArgument"), null);
    }

    @Test
    void testNestedConstructors() {
        Harness.checkAllModes("(a,(b))((c,(d,e)),f)", () -> Harness.run(loader, "Exprs", "nestedConstructors"), null);
    }

    @Test
    void testConstructorWithConditionalArgument() {
        Harness.checkAllModes("(awaited,1)bs", () -> Harness.run(loader, "Exprs", "constructorWithConditional", true), null);
        Harness.checkAllModes("(plain,1)bs", () -> Harness.run(loader, "Exprs", "constructorWithConditional", false), null);
    }

    @Test
    void testConstructorAsStatement() {
        Harness.checkAllModes("[(1,2)]", () -> Harness.run(loader, "Exprs", "constructorAsStatement", new ArrayList<>()), null);
    }

    @Test
    void testCompoundAssignmentToArrayElements() {
        Harness.checkAllModes(1 + 5 + 4 * 3, () -> Harness.run(loader, "Exprs", "compoundAssignment", (Object) new int[] {1, 2, 4}), null);
    }

    @Test
    void testTableSwitch() {
        Harness.checkAllModes("zero!", () -> Harness.run(loader, "Switches", "table", 0), null);
        Harness.checkAllModes("two-ish2", () -> Harness.run(loader, "Switches", "table", 1), null);
        Harness.checkAllModes("other", () -> Harness.run(loader, "Switches", "table", 7), null);
    }

    @Test
    void testLookupSwitch() {
        Harness.checkAllModes("low!", () -> Harness.run(loader, "Switches", "lookup", -1000), null);
        Harness.checkAllModes("high?", () -> Harness.run(loader, "Switches", "lookup", 5000), null);
        Harness.checkAllModes("mid3", () -> Harness.run(loader, "Switches", "lookup", 3), null);
    }

    @Test
    void testStringSwitch() {
        Harness.checkAllModes(1, () -> Harness.run(loader, "Switches", "onString", "alpha"), null);
        Harness.checkAllModes(4, () -> Harness.run(loader, "Switches", "onString", "beta"), null);
        Harness.checkAllModes(-1, () -> Harness.run(loader, "Switches", "onString", "gamma"), null);
    }

    @Test
    void testEnumSwitch() {
        Harness.checkAllModes("s1", () -> Harness.run(loader, "Switches", "onEnum", TimeUnit.SECONDS), null);
        Harness.checkAllModes("ms1000", () -> Harness.run(loader, "Switches", "onEnum", TimeUnit.MILLISECONDS), null);
        Harness.checkAllModes("days", () -> Harness.run(loader, "Switches", "onEnum", TimeUnit.DAYS), null);
    }

    @Test
    void testSwitchExpressionWithValueOnTheStack() {
        Harness.checkAllModes(110, () -> Harness.run(loader, "Switches", "switchExpressionOnStack", 1), null);
        Harness.checkAllModes(121, () -> Harness.run(loader, "Switches", "switchExpressionOnStack", 2), null);
    }

    @Test
    void testSwitchExpressionWithTry_asConstructorArgument_uninitializedObjectSpilledToLocals() {
        // issue 13: javac spills `new Pair` (twice: the object and its dup) into locals
        Harness.checkAllModes("(1).", () -> Harness.run(loader, "Exprs", "switchWithTryAsConstructorArgument", 0),
                n -> n == 1 ? "(-1)." : null);
        Harness.checkAllModes("(3).", () -> Harness.run(loader, "Exprs", "switchWithTryAsConstructorArgument", 7), null);
    }

    @Test
    void testSwitchExpressionWithFinallyInOneArm_awaitInAnother_asConstructorArgument() {
        Harness.checkAllModes("(k5,7)[]", () -> Harness.run(loader, "Exprs", "switchWithFinallyArmAsConstructorArgument",
                5, new ArrayList<>()), null);
        for (int mode : TestMode.ALL) {
            TestMode.reset(mode, 0);
            org.junit.jupiter.api.Assertions.assertEquals("(k0,1)[finally]", Harness.run(loader, "Exprs",
                    "switchWithFinallyArmAsConstructorArgument", 0, new ArrayList<>()));
        }
    }
}
