package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Run-time mistakes in {@code @Async} code whose errors name the method and the line:
 * {@code return null}, {@code return otherCoroutine()}, and awaiting one coroutine twice.
 */
class MistakesTest {
    private static final String CLASS = "dev.coro.transform.corpus.Mistakes";

    private static int line(String marker) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/coro/transform/corpus/Mistakes.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// " + marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker);
    }

    private static String failure(String method) {
        Harness.CorpusLoader loader = Harness.loader();
        return assertThrows(IllegalStateException.class, () -> Harness.run(loader, "Mistakes", method)).getMessage();
    }

    @Test
    void testReturnNull_namesMethodAndLine() throws Exception {
        assertEquals("The @Async method " + CLASS + ".returnsNull(Mistakes.java:" + line("RETURNS_NULL")
                + ") returned null instead of done(value): an @Async method ends with `return done(value);`"
                + " (or `return done();` for no value)", failure("returnsNull"));
    }

    @Test
    void testReturnOtherCoroutine_namesMethodAndLine() throws Exception {
        String message = failure("returnsOther");
        String expectedStart = "The @Async method " + CLASS + ".returnsOther(Mistakes.java:" + line("RETURNS_OTHER")
                + ") returned another coroutine (Coroutine[" + CLASS + ".one at Mistakes.java:";
        assertEquals(expectedStart, message.substring(0, Math.min(message.length(), expectedStart.length())), message);
        assertEquals(true, message.endsWith("instead of done(value): returning a coroutine, promise or task does not"
                + " run it; write `return done(await(x));` to return its result"), message);
    }

    @Test
    void testAwaitTwice_namesTheSecondAwait() throws Exception {
        String message = failure("awaitsTwice");
        String expected = " was already awaited or spawned, and is awaited again at " + CLASS
                + ".awaitsTwice(Mistakes.java:" + line("AWAITS_TWICE") + "): a coroutine object runs once;";
        assertEquals(true, message.startsWith("Coroutine[" + CLASS + ".one at Mistakes.java:"), message);
        assertEquals(true, message.contains(expected), message);
    }

    @Test
    void testCorrectCodeUnaffected() {
        assertEquals(1, Harness.run(Harness.loader(), "Mistakes", "one"));
    }
}
