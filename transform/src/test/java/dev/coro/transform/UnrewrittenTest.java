package dev.coro.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Unrewritten;
import dev.coro.transform.corpus.Mistakes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Unrewritten code fails at its first Coro call and says why. The corpus classes on the test
 * classpath are javac's output, not rewritten (the Harness rewrites its own copies).
 */
class UnrewrittenTest {
    private static final String CAUSE = "whose class has @Async methods that were not rewritten: they would"
            + " run eagerly and could not suspend. The class was compiled without the Coro rewriter, likely by"
            + " `mvn compile` or an IDE build";

    private static int line(String marker) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/coro/transform/corpus/Mistakes.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker);
    }

    @BeforeEach
    void readyAwaitables() {
        TestMode.reset(TestMode.READY, 0); // Awaits.v makes done(...) values, with no loop needed
    }

    @Test
    void testUnrewrittenAsyncMethod_firstAwaitNamesMethodLineAndCause() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, Mistakes::returnsOther);
        String expected = "await() called in dev.coro.transform.corpus.Mistakes.returnsOther(Mistakes.java:"
                + line("await(v(1));") + "), " + CAUSE;
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertTrue(e.getMessage().endsWith("no -javaagent:coro-agent.jar rewrote it when it was loaded"), e.getMessage());
    }

    @Test
    void testCheck_unrewrittenRewrittenAndPlainClasses() throws Exception {
        assertTrue(Unrewritten.isUnrewritten(Mistakes.class));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Unrewritten.check(Mistakes.class, "startServer"));
        assertTrue(e.getMessage().startsWith("Coro.startServer() called in dev.coro.transform.corpus.Mistakes"), e.getMessage());

        Class<?> rewritten = Harness.load(Harness.loader(), "Mistakes");
        assertFalse(Unrewritten.isUnrewritten(rewritten), "rewritten: has @AwaitSites");
        Unrewritten.check(rewritten, "startServer");
        assertFalse(Unrewritten.isUnrewritten(UnrewrittenTest.class), "no @Async at all");
        Unrewritten.check(String.class, "startServer");
        Unrewritten.check(null, "startServer");
        assertFalse(Unrewritten.isUnrewritten(int.class));
        Runnable lambda = () -> { };
        assertFalse(Unrewritten.isUnrewritten(lambda.getClass()), "hidden classes have no class file");
    }

    /** In debug mode from outside, done() checks its caller: an unrewritten @Async method without awaits fails there. */
    @Test
    void testDebugMode_doneFromUnrewrittenAsyncMethodFails() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        for (boolean debug : new boolean[] {true, false}) {
            Process process = new ProcessBuilder(java, "-Dcoro.debug=" + debug, "-cp", classpath,
                    "dev.coro.transform.UnrewrittenTest$CallsNone").redirectErrorStream(true).start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (debug) {
                assertEquals(1, process.exitValue(), out);
                assertTrue(out.contains("Coro.done() called in dev.coro.transform.corpus.Metadata.none(Metadata.java:"), out);
                assertTrue(out.contains(CAUSE), out);
            } else {
                assertEquals(0, process.exitValue(), out);
                assertTrue(out.contains("ran eagerly"), out);
            }
        }
    }

    /**
     * An unrewritten @Async method that starts a server and a thread job before its first await:
     * the first of those Coro calls fails, so no socket is opened and no job runs.
     */
    static final class EagerServer {
        static final java.util.List<String> SIDE_EFFECTS = new java.util.ArrayList<>();

        @dev.coro.Async
        static dev.coro.Coroutine<Void> serve() {
            SIDE_EFFECTS.add("before");
            dev.coro.Coroutine<dev.coro.io.Server> server = dev.coro.Coro.startServer((r, w) -> dev.coro.Coro.done(), "127.0.0.1", 0);
            SIDE_EFFECTS.add("after startServer");
            dev.coro.Coro.await(server);
            return dev.coro.Coro.done();
        }

        @dev.coro.Async
        static dev.coro.Coroutine<Void> job() {
            dev.coro.Coro.toThread(() -> SIDE_EFFECTS.add("the job ran"));
            return dev.coro.Coro.done();
        }
    }

    @Test
    void testUnrewrittenAsyncMethod_failsAtItsFirstIoOrThreadCall_beforeAnySideEffect() throws Exception {
        EagerServer.SIDE_EFFECTS.clear();
        IllegalStateException e = assertThrows(IllegalStateException.class, EagerServer::serve);
        assertTrue(e.getMessage().startsWith("Coro.startServer() called in " + EagerServer.class.getName() + ".serve(UnrewrittenTest.java:"),
                e.getMessage());
        assertTrue(e.getMessage().contains(CAUSE), e.getMessage());
        assertEquals(List.of("before"), EagerServer.SIDE_EFFECTS);

        e = assertThrows(IllegalStateException.class, EagerServer::job);
        assertTrue(e.getMessage().startsWith("Coro.toThread() called in " + EagerServer.class.getName() + ".job(UnrewrittenTest.java:"),
                e.getMessage());
        assertEquals(List.of("before"), EagerServer.SIDE_EFFECTS, "no job was handed to a thread");
    }

    /** Calls an unrewritten @Async method that has no await. */
    static final class CallsNone {
        public static void main(String[] args) {
            try {
                dev.coro.transform.corpus.Metadata.none();
                System.out.println("ran eagerly");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                System.exit(1);
            }
        }
    }
}
