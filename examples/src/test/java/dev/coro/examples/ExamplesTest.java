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
}
