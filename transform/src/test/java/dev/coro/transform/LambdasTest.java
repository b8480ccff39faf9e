package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LambdasTest {
    private final Harness.CorpusLoader loader = Harness.loader();

    @Test
    void testAsyncLambdas_plainCapturingExpressionNestedThisAndSpawned() {
        Harness.checkAllModes("2," + (10 + 3 + (1L << 33)) + ",10,<xy>,me!2,ARG?,2,aw!",
                () -> Harness.run(loader, "Lambdas", "entry"), null);
        TransformResult result = loader.results.get("dev.coro.transform.corpus.Lambdas");
        // entry, with, and the lambdas: plain, capturing, expression, nested, inner, viaBody,
        // typedAwaitable, capturingThis
        assertEquals(2 + 8, result.rewrittenMethods());
    }

    @Test
    void testTaskGroupGatherAndTimeoutWithAsyncLambdaBodies() {
        Harness.checkAllModes("14 [1, 4] timed out", () -> Harness.run(loader, "Structured", "entry"), null);
    }
}
