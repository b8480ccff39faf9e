package dev.coro;

import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** Task dumps, stacks, names, slow-step warnings and never-awaited reports (issue 11, runtime side). */
class TaskDumpTest {
    /** Shaped like the rewriter's output: a stub and a resume method {@code m(Frame)} per @Async method. */
    static final class Deep {
        static Coroutine<Object> level1(Duration d) {
            Frame<Object> f = new Frame<>(Deep::level1, 1, 0);
            Frame.putRef(d, f, 0);
            return f;
        }

        private static Object level1(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(sleep((Duration) Frame.getRef(frame, 0)), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return "slept";
                case 1:
                    frame.resumeValue();
                    return "slept";
                default:
                    throw new IllegalStateException("Coro: dev.coro.TaskDumpTest$Deep.level1 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }

        static Coroutine<Object> level2(Duration d) {
            Frame<Object> f = new Frame<>(Deep::level2, 1, 0);
            Frame.putRef(d, f, 0);
            return f;
        }

        private static Object level2(Frame<?> frame) throws Throwable {
            switch (frame.state) {
                case 0:
                    Object r = Frame.await(level1((Duration) Frame.getRef(frame, 0)), frame);
                    if (r == Frame.SUSPENDED) {
                        frame.state = 1;
                        return r;
                    }
                    return r;
                case 1:
                    return frame.resumeValue();
                default:
                    throw new IllegalStateException("Coro: dev.coro.TaskDumpTest$Deep.level2 resumed in a state it never"
                            + " suspended in (frame of another method?)");
            }
        }
    }

    private static final String LEVEL1 = "dev.coro.TaskDumpTest$Deep.level1(TaskDumpTest.java) await #1";
    private static final String LEVEL2 = "dev.coro.TaskDumpTest$Deep.level2(TaskDumpTest.java) await #1";

    @Test
    void testFrameToString_namesTheMethod() {
        assertEquals("Coroutine[dev.coro.TaskDumpTest$Deep.level2, not started]", Deep.level2(Duration.ZERO).toString());
    }

    @Test
    void testDump_showsEveryWaitKindEdgesAndGroups() {
        StringBuilder text = new StringBuilder();
        StringBuilder json = new StringBuilder();
        List<List<String>> stacks = new ArrayList<>();
        Queue<String> queue = new Queue<>();
        Lock lock = new Lock();
        Task<?>[] deep = new Task<?>[1];
        Coro.run(Script.of(
                in -> lock.acquire(),
                in -> {
                    deep[0] = spawn(Deep.level2(Duration.ofSeconds(10)), "deep");
                    spawn(Script.of(x -> deep[0]), "waiter");
                    spawn(Script.of(x -> queue.get()), "consumer");
                    spawn(Script.of(x -> lock.acquire()), "locker");
                    spawn(Script.of(x -> Coro.taskGroup(g -> {
                        g.spawn(Script.of(y -> sleep(Duration.ofSeconds(20))), "child");
                        return Script.of(y -> sleep(Duration.ofSeconds(30)));
                    })), "grouper");
                    return sleep(Duration.ofSeconds(1));
                },
                in -> {
                    Coro.currentTask().setName("main");
                    Coro.dumpTasks(text);
                    Coro.dumpTasksJson(json);
                    stacks.add(deep[0].stack());
                    for (Task<?> t : Coro.allTasks()) {
                        if (t != Coro.currentTask()) {
                            t.cancel();
                        }
                    }
                    lock.release();
                    return Script.ret(null);
                }), EventLoop.virtualTime());

        assertEquals(List.of(LEVEL1, LEVEL2), stacks.get(0));
        String dump = text.toString();
        assertTrue(dump.startsWith("Coro task dump (coro-task-dump/1) of EventLoop[virtual running"), dump);
        assertTrue(dump.contains("\ntaken " + java.time.Year.now(java.time.ZoneOffset.UTC) + "-"), dump);
        assertTrue(dump.contains(", process " + ProcessHandle.current().pid() + ", Java " + Runtime.version()), dump);
        assertTrue(dump.contains("at loop time 1.000: 7 tasks"), dump);
        assertTrue(dump.contains("Task 'deep' #2 pending, cancelling=0\n"
                + "  waits on: timer, deadline 10.000 (in 9.000 s)\n"
                + "  at " + LEVEL1 + "\n"
                + "  at " + LEVEL2 + "\n"
                + "  awaited by: Task 'waiter' #3\n"), dump);
        assertTrue(dump.contains("Task 'waiter' #3 pending, cancelling=0\n  waits on: task Task 'deep' #2\n"), dump);
        assertTrue(dump.contains("Task 'consumer' #4 pending, cancelling=0\n  waits on: queue Queue[maxsize=0"), dump);
        assertTrue(dump.contains("Task 'locker' #5 pending, cancelling=0\n  waits on: lock Lock[locked, waiters:1]"), dump);
        assertTrue(dump.contains("Task 'child' #7 pending, cancelling=0, in a task group of Task 'grouper' #6\n"), dump);
        assertTrue(dump.contains("Task 'main' #1 pending, cancelling=0\n  waits on: running"), dump);
        assertTrue(dump.contains("\nTask tree (task groups and awaits):\n"), dump);
        assertTrue(dump.contains("Task 'waiter' #3  dev.coro.testing.Script await #1\n    └── Task 'deep' #2  " + LEVEL1), dump);
        assertTrue(dump.contains("Task 'grouper' #6  dev.coro.testing.Script await #1\n    └── Task 'child' #7"), dump);

        Map<String, Object> root = asMap(new Json(json.toString()).value());
        assertEquals("coro-task-dump/1", root.get("schema"));
        assertEquals(7.0, root.get("taskCount"));
        assertEquals(1.0, root.get("runningTask"));
        assertEquals((double) ProcessHandle.current().pid(), root.get("processId"));
        assertEquals(Runtime.version().toString(), root.get("runtimeVersion"));
        assertEquals(Thread.currentThread().getName(), root.get("thread"), "the test runs the loop on its own thread");
        java.time.Instant taken = java.time.Instant.parse((String) root.get("wallTime"));
        assertTrue(Math.abs(java.time.Duration.between(taken, java.time.Instant.now()).toMinutes()) < 10, taken.toString());
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (Object o : (List<?>) root.get("tasks")) {
            Map<String, Object> t = asMap(o);
            byName.put((String) t.get("name"), t);
        }
        assertEquals(List.of("main", "deep", "waiter", "consumer", "locker", "grouper", "child"), new ArrayList<>(byName.keySet()));
        Map<String, Object> deepJson = byName.get("deep");
        assertEquals(List.of(LEVEL1, LEVEL2), deepJson.get("stack"));
        assertEquals("dev.coro.TaskDumpTest$Deep.level2", deepJson.get("coroutine"));
        assertEquals("timer", asMap(deepJson.get("waitsOn")).get("kind"));
        assertEquals(10.0, asMap(deepJson.get("waitsOn")).get("deadline"));
        assertEquals(List.of(3.0), deepJson.get("awaitedBy"));
        assertEquals(List.of(2.0), byName.get("waiter").get("awaits"));
        assertEquals("queue", asMap(byName.get("consumer").get("waitsOn")).get("kind"));
        assertEquals("lock", asMap(byName.get("locker").get("waitsOn")).get("kind"));
        assertEquals(6.0, asMap(byName.get("child").get("group")).get("parent"));
        assertEquals(null, byName.get("deep").get("sinceLastStep"));
    }

    /** Collects the messages logged to {@code dev.coro} while installed. */
    private static final class CapturedLog extends Handler implements AutoCloseable {
        final List<String> messages = new CopyOnWriteArrayList<>();

        CapturedLog() {
            Logger.getLogger("dev.coro").addHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            messages.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("dev.coro").removeHandler(this);
        }
    }

    /** A callback that names itself in slow-callback warnings. */
    private static Runnable named(String name, Runnable body) {
        return new Runnable() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Test
    void testDebugMode_switchedOnByACallback_timesCallbacksFromTheNextIteration() {
        // Documented on setDebug: the loop reads debug mode once per iteration (asyncio: per
        // callback), so the callback queued beside the switch is not timed, the next iteration's is.
        try (CapturedLog log = new CapturedLog(); EventLoop loop = EventLoop.virtualTime()) {
            loop.setSlowCallbackDuration(Duration.ZERO);
            loop.callSoon(() -> loop.setDebug(true));
            loop.callSoon(named("same iteration", () -> loop.callSoon(named("next iteration", loop::stop))));
            loop.runForever();
            String all = log.messages.toString();
            assertTrue(log.messages.stream().anyMatch(m -> m.startsWith("Executing next iteration took ")), all);
            assertTrue(log.messages.stream().noneMatch(m -> m.contains("same iteration")), all);
        }
    }

    @Test
    void testDebugMode_recordsStepTimesAndNamesSlowSteps() {
        CapturedLog log = new CapturedLog();
        List<String> warnings = log.messages;
        StringBuilder text = new StringBuilder();
        try (EventLoop loop = EventLoop.virtualTime()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ZERO);
            assertEquals(Duration.ZERO, loop.getSlowCallbackDuration());
            loop.runUntilComplete(Script.of(
                    in -> {
                        spawn(Deep.level2(Duration.ofSeconds(5)), "slowpoke");
                        return sleep(Duration.ofSeconds(2));
                    },
                    in -> {
                        Coro.dumpTasks(text);
                        return Script.ret(null);
                    }));
        } finally {
            log.close();
        }
        assertTrue(text.toString().contains("Task 'slowpoke' #2 pending, cancelling=0, last step 2.000 s ago"), text.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("Executing <Task pending name='slowpoke' at "
                + LEVEL1 + "> (resumed at dev.coro.TaskDumpTest$Deep.level2(TaskDumpTest.java) not started) took ")),
                warnings.toString());
    }

    @Test
    void testDebugMode_reportsACoroutineNeverAwaited() throws Exception {
        List<String> reports = new CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoop.virtualTime()) {
            loop.setDebug(true);
            loop.setExceptionHandler((l, context) -> reports.add(String.valueOf(context.get("message"))));
            loop.runUntilComplete(Script.of(
                    in -> {
                        Deep.level2(Duration.ofSeconds(1)); // dropped: never awaited
                        return Deep.level2(Duration.ofSeconds(1)); // awaited: not reported
                    }));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (reports.isEmpty() && System.nanoTime() - deadline < 0) {
                System.gc();
                loop.runUntilComplete(Script.of(in -> sleep(Duration.ZERO)));
                Thread.sleep(10); // the cleaner runs on its own thread
            }
            loop.runUntilComplete(Script.of(in -> sleep(Duration.ZERO)));
        }
        assertEquals(1, reports.size(), reports.toString());
        String report = reports.get(0);
        assertTrue(report.startsWith("Coroutine[dev.coro.TaskDumpTest$Deep.level2] was never awaited or spawned"
                + " (made by dev.coro.TaskDumpTest$Deep.level2(TaskDumpTest.java:"), report);
        assertTrue(report.contains(", called from dev.coro.TaskDumpTest.lambda$"), report);
    }

    @Test
    void testDebugSwitch_fromPropertyAndEnvironment() throws Exception {
        assertEquals("true", runJava(List.of("-Dcoro.debug=true"), Map.of()));
        assertEquals("true", runJava(List.of(), Map.of("CORO_DEBUG", "1")));
        assertEquals("false", runJava(List.of(), Map.of("CORO_DEBUG", "0")));
    }

    /** Prints whether a new loop is in debug mode. */
    public static final class PrintDebug {
        public static void main(String[] args) {
            System.out.print(EventLoop.create().isDebug());
        }
    }

    private static String runJava(List<String> options, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PrintDebug.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("CORO_DEBUG");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** A small JSON reader: objects, arrays, strings, numbers (as Double), true/false/null. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s.trim();
        }

        Object value() {
            Object v = read();
            skip();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing text at " + i);
            }
            return v;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object read() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                skip();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                for (;;) {
                    skip();
                    String k = (String) read();
                    skip();
                    expect(':');
                    m.put(k, read());
                    skip();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect('}');
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                skip();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                for (;;) {
                    l.add(read());
                    skip();
                    if (s.charAt(i) == ',') {
                        i++;
                    } else {
                        expect(']');
                        return l;
                    }
                }
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char d = s.charAt(i++);
                    if (d == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n': b.append('\n'); break;
                            case 't': b.append('\t'); break;
                            case 'r': b.append('\r'); break;
                            case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                            default: b.append(e);
                        }
                    } else {
                        b.append(d);
                    }
                }
                i++;
                return b.toString();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.valueOf(s.substring(start, i));
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i + " in " + s);
            }
            i++;
        }
    }
}
