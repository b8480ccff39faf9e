package dev.coro.transform;

import org.junit.jupiter.api.Test;

class TriesTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testTryCatch() {
        Harness.checkAllModes("start-a n=6", () -> Harness.run(loader, "Tries", "tryCatch"),
                n -> n == 1 ? "start caught fail 1 n=5" : "start-a caught fail 2 n=5");
    }

    @Test
    void testTryFinally() {
        Harness.checkAllModes("a,b,c,finally", () -> Harness.run(loader, "Tries", "tryFinally"),
                n -> n == 1 ? "a,finally,caught fail 1" : "a,b,finally,caught fail 2");
    }

    @Test
    void testNestedTry() {
        Harness.checkAllModes("123f345", () -> Harness.run(loader, "Tries", "nestedTry"), n -> switch (n) {
            case 1 -> "outer:fail 1";
            case 2 -> "1inner:fail 25";
            case 3 -> "12f3inner:fail 35";
            case 4 -> "123f3inner:fail 45";
            default -> "123f34outer:fail 5";
        });
    }

    @Test
    void testTryWithResources_openAcrossAwait_closedOnce() {
        Harness.checkAllModes("open r,use x,use y,close", () -> Harness.run(loader, "Tries", "tryWithResources"),
                n -> switch (n) {
                    case 1 -> "caught fail 1";
                    case 2 -> "open r,close,caught fail 2";
                    default -> "open r,use x,close,caught fail 3";
                });
    }

    @Test
    void testAwaitInCatch() {
        Harness.checkAllModes("thrown after 1 then awaited in catch", () -> Harness.run(loader, "Tries", "awaitInCatch"), null);
    }

    @Test
    void testAwaitInFinally() {
        Harness.checkAllModes("body,finally", () -> Harness.run(loader, "Tries", "awaitInFinally"),
                n -> n == 1 ? "finally,caught fail 1" : "body,caught fail 2");
    }

    @Test
    void testFinallyWithReturn() {
        // the finally's return wins, also over an exception from the try block
        Harness.checkAllModes(101, () -> Harness.run(loader, "Tries", "finallyWithReturn"),
                n -> n == 1 ? 100 : null);
    }

    @Test
    void testRethrowAfterAwaitInCatch() {
        Harness.checkAllModes("no exception", () -> Harness.run(loader, "Tries", "rethrowSameObject"), null);
    }

    @Test
    void testAwaitInFinally_afterASynchronizedBlockInTheTry_notRefused() {
        // issue 13: javac 17's handler that releases the monitor comes first in the table
        Harness.checkAllModes("f6", () -> Harness.run(loader, "Tries", "synchronizedThenAwaitInFinally", 5), null);
    }

    @Test
    void testAwaitInCatch_afterASynchronizedBlockInTheTry_notRefused() {
        Harness.checkAllModes("in!", () -> Harness.run(loader, "Tries", "synchronizedThenAwaitInCatch", false), null);
        Harness.checkAllModes("caught inside!", () -> Harness.run(loader, "Tries", "synchronizedThenAwaitInCatch", true), null);
    }
}
