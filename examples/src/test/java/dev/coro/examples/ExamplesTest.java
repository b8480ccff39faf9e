package dev.coro.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Smoke tests of the examples as built (rewritten by the plugin in this module's build). The ones
 * that only sleep run on the virtual-time loop, so they take no real time; the HTTP ones run for
 * real against the local server. No test asserts a timing: lines that print one are left out.
 */
class ExamplesTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
        original.print(captured.toString(StandardCharsets.UTF_8));
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** The output without the lines that print a time. */
    private List<String> linesWithoutTimes() {
        return lines().stream().filter(line -> !line.contains("seconds")).toList();
    }

    private static void onVirtualTime(Supplier<Coroutine<Void>> example) {
        Coro.run(example.get(), EventLoop.virtualTime());
    }

    @Test
    void testGatherCount_printsOneOneOneTwoTwoTwoOnOneLine() {
        onVirtualTime(ArticleExamples::gatherCount);
        assertEquals(List.of("One One One Two Two Two "), linesWithoutTimes());
        assertTrue(lines().get(1).startsWith("executed in 1.0 seconds"), lines().toString());
    }

    @Test
    void testTaskError_exceptionCaughtWhereTheTaskIsAwaited() {
        onVirtualTime(ArticleExamples::taskError);
        assertEquals(List.of("faulty task: started", "Caught an error: Something went wrong!",
                "same object as task.exception(): true"), linesWithoutTimes());
    }

    @Test
    void testCancelSwallowed_mainSeesNormalCompletion() {
        onVirtualTime(ArticleExamples::cancelSwallowed);
        assertEquals(List.of("Task started", "Task was cancelled!",
                "main: the task swallowed the cancellation and returned normally",
                "task.isCancelled(): false"), linesWithoutTimes());
    }

    @Test
    void testCancelReraised_mainCatchesTheCancellation() {
        onVirtualTime(ArticleExamples::cancelReraised);
        assertEquals(List.of("Task started", "Task was cancelled!", "Caught cancellation in main: stop please",
                "task.isCancelled(): true"), linesWithoutTimes());
    }

    @Test
    void testProducerConsumer_everyJobFinishedOnce() {
        onVirtualTime(ProducerConsumer::pipeline);
        List<String> finished = lines().stream().filter(line -> line.contains("finished job")).toList();
        assertEquals(ProducerConsumer.JOBS, finished.size(), lines().toString());
        for (int job = 1; job <= ProducerConsumer.JOBS; job++) {
            String suffix = "finished job " + job;
            assertEquals(1, finished.stream().filter(line -> line.endsWith(suffix)).count(), suffix);
        }
        assertTrue(lines().get(lines().size() - 1).endsWith("all 8 jobs done; workers cancelled"), lines().toString());
    }

    @Test
    void testTaskGroup_oneFailureCancelsTheSiblings() {
        onVirtualTime(TaskGroupFailure::checkout);
        assertEquals(List.of("charge card: failing", "reserve stock: cancelled, cleaning up",
                "send e-mail: cancelled, cleaning up"), linesWithoutTimes());
        assertTrue(lines().get(3).contains("IllegalStateException: charge card is down"), lines().toString());
    }

    @Test
    void testSyncVsAsync_bothGetAllAnswersInOrder() throws Exception {
        SyncVsAsync.main(new String[0]);
        List<String> lines = lines();
        assertEquals(2, lines.size(), lines.toString());
        String answers = "answers [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
        assertTrue(lines.get(0).startsWith("blocking HttpClient.send") && lines.get(0).endsWith(answers), lines.get(0));
        assertTrue(lines.get(1).startsWith("await(sendAsync(...))") && lines.get(1).endsWith(answers), lines.get(1));
    }

    @Test
    void testHttpFanOut_allAnswersThenATimeout() throws Exception {
        HttpFanOut.main(new String[0]);
        List<String> lines = lines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("100 concurrent requests answered in ") && lines.get(0).endsWith("first 0, last 99"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("gave up on a 5-second call after ") && lines.get(1).endsWith("TimeoutException"),
                lines.get(1));
    }

    @Test
    void testMain_unknownNameIsRefusedWithTheList() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Examples.run("nope"));
        assertTrue(e.getMessage().contains("gather-count"), e.getMessage());
    }

    @Test
    void testDebugging_asyncTraceHasEveryAwaitLineAndTheDumpNamesLines() throws Exception {
        onVirtualTime(DebuggingDemo::main);
        List<String> out = lines();
        String source = new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("src/main/java/dev/coro/examples/DebuggingDemo.java")), StandardCharsets.UTF_8);
        List<String> sourceLines = source.lines().toList();
        int throwAt = out.indexOf("java.lang.IllegalStateException: disk full while reading /etc/app.conf");
        assertTrue(throwAt >= 0, out.toString());
        assertTrue(out.get(throwAt + 1).startsWith("\tat dev.coro.examples.DebuggingDemo.readBlock(DebuggingDemo.java:"), out.toString());
        assertEquals("\tat coro.async(awaited by)", out.get(throwAt + 2));
        String[] awaiting = {"readFile", "loadConfig", "startService", "boot", "main"};
        String[] awaited = {"readBlock(", "readFile(", "loadConfig(", "startService(", "boot("};
        for (int i = 0; i < awaiting.length; i++) {
            String line = out.get(throwAt + 3 + i);
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("\tat dev\\.coro\\.examples\\.DebuggingDemo\\." + awaiting[i] + "\\(DebuggingDemo\\.java:(\\d+)\\)")
                    .matcher(line);
            assertTrue(m.matches(), line);
            // the line the trace names is the await of the next method down
            String sourceLine = sourceLines.get(Integer.parseInt(m.group(1)) - 1);
            assertTrue(sourceLine.contains("await(" + awaited[i]), sourceLine);
        }
        String dump = String.join("\n", out);
        assertTrue(dump.contains("Task 'poller' #2 pending, cancelling=0\n  waits on: timer"), dump);
        assertTrue(dump.contains("  at dev.coro.examples.DebuggingDemo.pollForever(DebuggingDemo.java:"), dump);
        assertTrue(dump.contains("  awaited by: Task 'supervisor' #3"), dump);
    }
}
