package dev.coro;

import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.internal.AsyncTraces;
import dev.coro.internal.CoroutineNames;
import dev.coro.spi.AwaitSites;
import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Async stack traces and await-site lines in descriptions (issue 11). The coroutines here are
 * shaped like the rewriter's output, {@link AwaitSites} included, with made-up line numbers
 * ({@code levelK} starts at line K0 and awaits at line K1) so that the tests can tell a recorded
 * await site from a real frame.
 */
class AsyncTracesTest {
    /** Five coroutines, each awaiting the next; level5 fails, after a sleep when {@code suspend}. */
    static final class Deep {

        static Coroutine<Object> level1(boolean suspend) {
            Frame<Object> f = new Frame<>(Deep::level1, 0, 1);
            Frame.putInt(suspend ? 1 : 0, f, 0);
            return f;
        }

        @AwaitSites(method = "level1", file = "Deep.java", line = 10, lines = {11})
        private static Object level1(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(level2(Frame.getInt(frame, 0) != 0), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Deep.level1 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }

        static Coroutine<Object> level2(boolean suspend) {
            Frame<Object> f = new Frame<>(Deep::level2, 0, 1);
            Frame.putInt(suspend ? 1 : 0, f, 0);
            return f;
        }

        @AwaitSites(method = "level2", file = "Deep.java", line = 20, lines = {21})
        private static Object level2(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(level3(Frame.getInt(frame, 0) != 0), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Deep.level2 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }

        static Coroutine<Object> level3(boolean suspend) {
            Frame<Object> f = new Frame<>(Deep::level3, 0, 1);
            Frame.putInt(suspend ? 1 : 0, f, 0);
            return f;
        }

        @AwaitSites(method = "level3", file = "Deep.java", line = 30, lines = {31})
        private static Object level3(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(level4(Frame.getInt(frame, 0) != 0), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Deep.level3 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }

        static Coroutine<Object> level4(boolean suspend) {
            Frame<Object> f = new Frame<>(Deep::level4, 0, 1);
            Frame.putInt(suspend ? 1 : 0, f, 0);
            return f;
        }

        @AwaitSites(method = "level4", file = "Deep.java", line = 40, lines = {41})
        private static Object level4(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(level5(Frame.getInt(frame, 0) != 0), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Deep.level4 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }

        static Coroutine<Object> level5(boolean suspend) {
            Frame<Object> f = new Frame<>(Deep::level5, 0, 1);
            Frame.putInt(suspend ? 1 : 0, f, 0);
            return f;
        }

        @AwaitSites(method = "level5", file = "Deep.java", line = 50, lines = {51})
        private static Object level5(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    if (Frame.getInt(frame, 0) == 0) {
                        throw new IllegalStateException("disk full");
                    }
                    Object r = Frame.await(sleep(Duration.ofSeconds(1)), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    throw new IllegalStateException("disk full");
                case 1:
                    frame.resumeValue();
                    throw new IllegalStateException("disk full");
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Deep.level5 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }
    }

    /** One @Async method that catches what level3 throws, keeps it, and throws it on. */
    static final class Catcher {
        static final List<Throwable> CAUGHT = new ArrayList<>();

        static Coroutine<Object> middle() {
            return new Frame<>(Catcher::middle, 0, 0);
        }

        @AwaitSites(method = "middle", file = "Catcher.java", line = 60, lines = {61})
        private static Object middle(Frame<?> frame) throws Throwable {
            try {
                switch (frame.state) {
                    case 0:
                        Object r = Frame.await(Deep.level3(true), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 1;
                            return r;
                        }
                        return r;
                    case 1:
                        return frame.resumeValue();
                    default:
                        throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Catcher.middle resumed in a"
                                + " state it never suspended in");
                }
            } catch (IllegalStateException e) {
                if (!e.getMessage().startsWith("Coro: ")) {
                    CAUGHT.add(e);
                }
                throw e;
            }
        }
    }

    /** {@code outer} awaits {@code inner}, which awaits a Java future. */
    static final class Futures {
        static Coroutine<Object> outer(CompletionStage<?> stage) {
            Frame<Object> f = new Frame<>(Futures::outer, 1, 0);
            Frame.putRef(stage, f, 0);
            return f;
        }

        @AwaitSites(method = "outer", file = "Futures.java", line = 70, lines = {71})
        private static Object outer(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(inner((CompletionStage<?>) Frame.getRef(frame, 0)), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Futures.outer resumed in a state");
            }
        }

        static Coroutine<Object> inner(CompletionStage<?> stage) {
            Frame<Object> f = new Frame<>(Futures::inner, 1, 0);
            Frame.putRef(stage, f, 0);
            return f;
        }

        @AwaitSites(method = "inner", file = "Futures.java", line = 80, lines = {81})
        private static Object inner(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.awaitStage((CompletionStage<?>) Frame.getRef(frame, 0), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Futures.inner resumed in a state");
            }
        }
    }

    /** Awaits whatever it is given (a gather, a task group) at line 91. */
    static final class Awaiter {
        static Coroutine<Object> awaiter(Awaitable<?> awaitable) {
            Frame<Object> f = new Frame<>(Awaiter::awaiter, 1, 0);
            Frame.putRef(awaitable, f, 0);
            return f;
        }

        @AwaitSites(method = "awaiter", file = "Awaiter.java", line = 90, lines = {91})
        private static Object awaiter(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await((Awaitable<?>) Frame.getRef(frame, 0), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.AsyncTracesTest$Awaiter.awaiter resumed in a state");
            }
        }
    }

    private static final String DEEP = Deep.class.getName();

    private static String line(StackTraceElement e) {
        return e.getClassName().substring(e.getClassName().lastIndexOf('$') + 1) + "." + e.getMethodName()
                + (e.getLineNumber() >= 0 ? ":" + e.getLineNumber() : "");
    }

    /** The trace from the async boundary on, as {@code Deep.level4:41}; empty without a boundary. */
    private static List<String> asyncPart(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < trace.length; i++) {
            if (trace[i].equals(AsyncTraces.BOUNDARY)) {
                List<String> out = new ArrayList<>();
                for (int j = i + 1; j < trace.length; j++) {
                    out.add(line(trace[j]));
                }
                return out;
            }
        }
        return List.of();
    }

    private static Throwable failureOf(Coroutine<?> main) {
        return assertThrows(Throwable.class, () -> Coro.run(main, EventLoop.virtualTime()));
    }

    @Test
    void testAsyncTrace_fiveAwaitsDeepShowsEachAwaitLineInOrder() {
        Throwable e = failureOf(Deep.level1(/* suspend = */ true));
        assertEquals("disk full", e.getMessage());
        StackTraceElement top = e.getStackTrace()[0];
        assertEquals(DEEP, top.getClassName());
        assertEquals("level5", top.getMethodName());
        assertEquals(List.of("Deep.level4:41", "Deep.level3:31", "Deep.level2:21", "Deep.level1:11"), asyncPart(e));
        String printed = e.getStackTrace()[1].toString() + " / " + e.getStackTrace()[2];
        assertEquals("coro.async(awaited by) / " + DEEP + ".level4(Deep.java:41)", printed);
        for (StackTraceElement s : e.getStackTrace()) {
            assertFalse(s.getClassName().equals(EventLoop.class.getName()), "loop frames are replaced: " + s);
        }
    }

    @Test
    void testAsyncTrace_chainRunInlineKeepsRealFramesWithoutPlumbing() {
        Throwable e = failureOf(Deep.level1(/* suspend = */ false));
        List<String> methods = new ArrayList<>();
        for (StackTraceElement s : e.getStackTrace()) {
            assertFalse(s.getClassName().equals(Frame.class.getName()), "await plumbing removed: " + s);
            assertFalse(s.equals(AsyncTraces.BOUNDARY), "no await suspended: real frames only");
            if (s.getClassName().equals(DEEP)) {
                methods.add(s.getMethodName());
            }
        }
        assertEquals(List.of("level5", "level4", "level3", "level2", "level1"), methods);
    }

    @Test
    void testAsyncTrace_catchInTheMiddleGetsTheSameObject() {
        Catcher.CAUGHT.clear();
        Throwable e = failureOf(Catcher.middle());
        assertEquals(1, Catcher.CAUGHT.size());
        assertSame(e, Catcher.CAUGHT.get(0));
        assertEquals(List.of("Deep.level4:41", "Deep.level3:31", "Catcher.middle:61"), asyncPart(e));
    }

    @Test
    void testAsyncTrace_failedJavaFutureShowsTheAwaitingFrames() {
        CompletableFuture<String> future = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("remote end gone");
        Task<?>[] fetcher = new Task<?>[1];
        Throwable e = failureOf(Script.of(
                in -> {
                    fetcher[0] = spawn(Futures.outer(future), "fetcher");
                    return sleep(Duration.ZERO); // the fetcher waits on the future
                },
                in -> {
                    future.completeExceptionally(failure);
                    return fetcher[0];
                }));
        assertSame(failure, e);
        assertEquals(List.of("Futures.inner:81", "Futures.outer:71"), asyncPart(e));
    }

    @Test
    void testAsyncTrace_exceptionWithoutWritableTraceStaysEmpty() {
        CompletableFuture<String> future = new CompletableFuture<>();
        RuntimeException quiet = new RuntimeException("quiet", null, false, /* writableStackTrace = */ false) {
            private static final long serialVersionUID = 1L;
        };
        Task<?>[] fetcher = new Task<?>[1];
        Throwable e = failureOf(Script.of(
                in -> {
                    fetcher[0] = spawn(Futures.outer(future), "fetcher");
                    return sleep(Duration.ZERO);
                },
                in -> {
                    future.completeExceptionally(quiet);
                    return fetcher[0];
                }));
        assertSame(quiet, e);
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void testAsyncTrace_alreadyFailedFutureNamesTheAwaitingMethods() {
        IllegalStateException failure = new IllegalStateException("failed before the await");
        Throwable e = failureOf(Futures.outer(CompletableFuture.failedFuture(failure)));
        assertSame(failure, e);
        // No suspension, so no await state to read inner's line from; outer, which ran inner
        // inline, is at the real line of its await (this file's, not the made-up 71).
        List<String> chain = asyncPart(e);
        assertEquals(2, chain.size(), chain.toString());
        assertEquals("Futures.inner", chain.get(0));
        assertTrue(chain.get(1).matches("Futures\\.outer:\\d+") && !chain.get(1).equals("Futures.outer:71"), chain.toString());
    }

    @Test
    void testAsyncTrace_throughGather() {
        Throwable e = failureOf(Script.of(in -> Awaiter.awaiter(Coro.gather(Deep.level1(true), sleep(Duration.ofSeconds(5))))));
        assertEquals("disk full", e.getMessage());
        assertEquals(List.of("Deep.level4:41", "Deep.level3:31", "Deep.level2:21", "Deep.level1:11", "Awaiter.awaiter:91"),
                asyncPart(e));
    }

    @Test
    void testAsyncTrace_throughTaskGroup() {
        Throwable e = failureOf(Script.of(in -> Awaiter.awaiter(Coro.taskGroup(g -> {
            g.spawn(Deep.level1(true));
            return Script.of(x -> sleep(Duration.ofSeconds(10)));
        }))));
        assertTrue(e instanceof TaskGroupException, e.toString());
        assertEquals(List.of("Awaiter.awaiter:91"), asyncPart(e));
        Throwable child = ((TaskGroupException) e).exceptions().get(0);
        assertEquals(List.of("Deep.level4:41", "Deep.level3:31", "Deep.level2:21", "Deep.level1:11"), asyncPart(child));
    }

    @Test
    void testAsyncTrace_notAddedToCancellations() {
        Task<?>[] task = new Task<?>[1];
        Throwable e = failureOf(Script.of(
                in -> {
                    task[0] = spawn(Awaiter.awaiter(Deep.level1(true)));
                    return sleep(Duration.ofMillis(500));
                },
                in -> {
                    task[0].cancel("stop");
                    return task[0];
                }));
        assertTrue(e instanceof CancelledError, e.toString());
        assertEquals(List.of(), asyncPart(e));
    }

    @Test
    void testAsyncTrace_sameExceptionAwaitedTwiceStaysBounded() {
        Promise<?>[] failed = new Promise<?>[1];
        IllegalStateException failure = new IllegalStateException("once");
        Throwable e = failureOf(Script.of(
                in -> {
                    failed[0] = Coro.loop().createPromise();
                    Coro.loop().callSoon(() -> failed[0].setException(failure));
                    List<Task<?>> tasks = new ArrayList<>();
                    for (int i = 0; i < 3000; i++) {
                        tasks.add(spawn(Awaiter.awaiter(failed[0])));
                    }
                    return Coro.gather(tasks);
                }));
        assertSame(failure, e);
        assertTrue(e.getStackTrace().length <= 1025, "length " + e.getStackTrace().length);
    }

    @Test
    void testDescriptions_nameTheAwaitLine() {
        assertEquals("Coroutine[" + DEEP + ".level3 at Deep.java:30, not started]",
                CoroutineNames.describe(bodyOf(Deep.level3(true)), 0));
        List<String> stack = new ArrayList<>();
        String[] described = new String[1];
        String[] json = new String[1];
        Coro.run(Script.of(
                in -> {
                    Task<?> t = spawn(Deep.level1(true), "deep");
                    return Script.of(x -> sleep(Duration.ofMillis(500)), x -> {
                        stack.addAll(t.stack());
                        described[0] = t.toString();
                        StringBuilder j = new StringBuilder();
                        Coro.dumpTasksJson(j);
                        json[0] = j.substring(j.indexOf("\"name\":\"deep\""));
                        t.cancel();
                        return Script.ret(null);
                    });
                }), EventLoop.virtualTime());
        assertEquals("<Task pending name='deep' at " + DEEP + ".level5(Deep.java:51)>", described[0]);
        String frames = json[0].substring(json[0].indexOf("\"frames\":["));
        assertTrue(frames.startsWith("\"frames\":[{\"class\":\"" + DEEP + "\",\"method\":\"level5\",\"file\":\"Deep.java\","
                + "\"line\":51,\"state\":1},{\"class\":\"" + DEEP + "\",\"method\":\"level4\""), frames);
        assertEquals(List.of(DEEP + ".level5(Deep.java:51)", DEEP + ".level4(Deep.java:41)", DEEP + ".level3(Deep.java:31)",
                DEEP + ".level2(Deep.java:21)", DEEP + ".level1(Deep.java:11)"), stack);
    }

    private static dev.coro.spi.CoroutineBody bodyOf(Coroutine<?> coroutine) {
        return dev.coro.internal.FrameAccess.get().body((Frame<?>) coroutine);
    }

    /** Prints the method names of a five-deep failure's trace, for the switch test. */
    public static final class PrintTrace {
        public static void main(String[] args) {
            try {
                Coro.run(Deep.level1(true), EventLoop.virtualTime());
            } catch (IllegalStateException e) {
                System.out.print(java.util.Arrays.stream(e.getStackTrace())
                        .filter(s -> s.getClassName().equals(DEEP) || s.equals(AsyncTraces.BOUNDARY))
                        .map(AsyncTracesTest::line).collect(Collectors.joining(" ")));
            }
        }
    }

    @Test
    void testSwitchOff_givesThePlainTrace() throws Exception {
        assertEquals("Deep.level5 coro.async Deep.level4:41 Deep.level3:31 Deep.level2:21 Deep.level1:11",
                runJava(List.of()).replaceFirst("^Deep.level5:[0-9]+", "Deep.level5"));
        assertEquals("Deep.level5", runJava(List.of("-Dcoro.asyncTraces=false")).replaceAll(":[0-9]+", ""));
    }

    private static String runJava(List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PrintTrace.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        return out;
    }

    @Test
    void testSlowStep_namesTheAwaitLineSuspendedAtAndResumedFrom() {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(new java.util.logging.SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.coro");
        jul.addHandler(handler);
        try (EventLoop loop = EventLoop.virtualTime()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ZERO); // every step is "slow"
            loop.setExceptionHandler((l, context) -> { }); // the task's failure is expected
            loop.runUntilComplete(Script.of(
                    in -> {
                        spawn(Deep.level1(true), "slowpoke");
                        return sleep(Duration.ofSeconds(2));
                    }));
        } finally {
            jul.removeHandler(handler);
        }
        // First step: from level1's first line down to level5's sleep.
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Executing <Task pending name='slowpoke' at "
                + DEEP + ".level5(Deep.java:51)> (resumed at " + DEEP + ".level1(Deep.java:10) not started) took ")),
                warnings.toString());
        // Second step: resumed from the sleep, failed.
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Executing <Task finished ")
                && w.contains("name='slowpoke'> (finished, resumed at " + DEEP + ".level5(Deep.java:51)) took ")), warnings.toString());
    }
}
