package dev.coro;

import dev.coro.internal.CoroutineNames;
import dev.coro.internal.CoroutineTracking;
import dev.coro.internal.FrameAccess;
import dev.coro.internal.TaskDump;
import dev.coro.internal.TimerHeap;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime side of seeing inside a loop (issue 11): task dumps, the debug switch from outside,
 * the never-awaited report. Package-private because it reads what only the package knows: a
 * task's waiter and timer state, its frames, a task group's children. Nothing here runs on the
 * normal path; a dump is built only when asked for.
 */
final class Debugging {
    private static final System.Logger LOG = System.getLogger("dev.coro");

    private Debugging() {
    }

    static {
        CoroutineTracking.install(() -> {
            EventLoop l = EventLoop.running();
            return l != null && l.isDebug() ? l : null;
        }, Debugging::reportNeverAwaited);
    }

    /** {@code -Dcoro.debug=true} or {@code CORO_DEBUG} (not empty, not 0). */
    static boolean debugFromOutside() {
        boolean on = false;
        try {
            String property = System.getProperty("coro.debug");
            String env = System.getenv("CORO_DEBUG");
            on = property != null ? !property.isEmpty() && !property.equals("0") && !property.equalsIgnoreCase("false")
                    : env != null && !env.isEmpty() && !env.equals("0");
        } catch (SecurityException e) {
            // no access: off
        }
        if (on) {
            CoroutineTracking.enabled = true;
        }
        return on;
    }

    // ---------------------------------------------------------------- never awaited

    private static void reportNeverAwaited(Object loopObject, CoroutineTracking.Creation creation) {
        // Drop the tracking machinery from the creation trace: it starts at the @Async stub.
        StackTraceElement[] trace = creation.getStackTrace();
        int from = 0;
        while (from < trace.length && (trace[from].getClassName().startsWith("dev.coro.internal.CoroutineTracking")
                || trace[from].getClassName().equals(Frame.class.getName()))) {
            from++;
        }
        creation.setStackTrace(java.util.Arrays.copyOfRange(trace, from, trace.length));
        String where = from < trace.length ? " (made by " + trace[from]
                + (from + 1 < trace.length ? ", called from " + trace[from + 1] : "") + ")" : "";
        String message = creation.coroutine() + " was never awaited or spawned" + where
                + ": calling an @Async method only makes a coroutine; await(...) it or spawn(...) it";
        EventLoop loop = (EventLoop) loopObject;
        java.util.Map<String, Object> context = EventLoop.errorContext(message, creation, "source", creation.coroutine());
        try {
            if (!loop.isClosed()) {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
                return;
            }
        } catch (RuntimeException e) {
            // closed meanwhile: log below
        }
        LOG.log(System.Logger.Level.WARNING, message, creation);
    }

    // ---------------------------------------------------------------- slow steps

    /**
     * Names a task step for the slow-step warning: where the task is suspended now and, when it
     * differs, the await the step resumed from: {@code <Task pending name='x' at
     * com.acme.Slow.crunch(Slow.java:31)> (resumed at com.acme.Slow.crunch(Slow.java:18))}; a task
     * that finished in the step: {@code <Task finished ...> (finished, resumed at ...)}.
     *
     * @param task the task
     * @param resumed its innermost frame before the step, or null
     * @param resumedState that frame's state before the step
     */
    static String describeStep(Task<?> task, Frame<?> resumed, int resumedState) {
        Frame<?> f = task.innermostFrame();
        String from = resumed == null ? null
                : CoroutineNames.stackLine(FrameAccess.get().body(resumed), resumedState);
        if (f == null) {
            return task + (from == null ? " (finished)" : " (finished, resumed at " + from + ")");
        }
        String at = CoroutineNames.stackLine(f);
        return task + (from == null || from.equals(at) ? "" : " (resumed at " + from + ")"); // the task names `at`
    }

    // ---------------------------------------------------------------- dumps

    static TaskDump snapshot(EventLoop loop, List<Task<?>> tasks, TimerHeap timers, int readyCount, Task<?> running,
            Map<Task<?>, Long> lastSteps, boolean consistent) {
        TaskDump dump = new TaskDump();
        dump.consistent = consistent;
        long now = loop.nanoTime();
        dump.loop = loop.toString();
        dump.time = now / 1e9;
        dump.debug = loop.isDebug();
        Thread thread = loop.ownerThread();
        dump.thread = thread != null ? thread.getName() : null;
        dump.timers = timers.size();
        dump.ready = readyCount;
        dump.runningTask = running != null ? running.number() : -1;
        Map<Object, Long> deadlines = timerDeadlines(timers);
        Map<Task<?>, Integer> groupParents = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            try {
                TaskDump.TaskInfo info = describe(t, running, deadlines, lastSteps, now, groupParents);
                dump.tasks.add(info);
            } catch (RuntimeException e) {
                if (consistent) {
                    throw e;
                }
                // a torn read from another thread: skip the task
            }
        }
        for (TaskDump.TaskInfo info : dump.tasks) {
            for (Map.Entry<Task<?>, Integer> e : groupParents.entrySet()) {
                if (e.getKey().number() == info.id) {
                    info.groupParent = e.getValue();
                }
            }
        }
        dump.link();
        return dump;
    }

    private static TaskDump.TaskInfo describe(Task<?> t, Task<?> running, Map<Object, Long> deadlines,
            Map<Task<?>, Long> lastSteps, long now, Map<Task<?>, Integer> groupParents) {
        TaskDump.TaskInfo info = new TaskDump.TaskInfo();
        info.id = t.number();
        info.name = t.getName();
        info.state = t.stateName();
        info.cancelling = t.cancelling();
        Long last = lastSteps == null ? null : lastSteps.get(t);
        if (last != null) {
            info.sinceLastStep = Math.max(0, now - last) / 1e9;
        }
        FrameAccess frames = Task.FRAMES;
        Frame<?> innermost = t.innermostFrame();
        Frame<?> root = null;
        Frame<?> f = innermost;
        for (int n = 0; f != null && n < Task.MAX_STACK_DEPTH; n++) {
            info.stack.add(CoroutineNames.stackLine(f));
            CoroutineBody body = frames.body(f);
            int state = f.state;
            CoroutineNames.Site site = CoroutineNames.site(body);
            info.frames.add(new StackTraceElement(site.className, site.methodName == null ? "" : site.methodName,
                    site.fileName, site.lineAt(state)));
            info.states.add(state);
            Collection<Task<?>> children = groupChildren(body);
            for (Task<?> child : children) {
                groupParents.put(child, info.id);
            }
            root = f;
            f = frames.caller(f);
        }
        info.coroutine = root == null ? null : CoroutineNames.site(frames.body(root)).qualifiedName();
        describeWait(t, running, innermost, deadlines, info);
        return info;
    }

    private static void describeWait(Task<?> t, Task<?> running, Frame<?> innermost, Map<Object, Long> deadlines,
            TaskDump.TaskInfo info) {
        Object w = t.waiter;
        if (t == running) {
            info.waitKind = "running";
            info.waitDescription = "(this step is running: the dump was taken from it)";
        } else if (w == null) {
            info.waitKind = "ready";
            info.waitDescription = "(its next step is scheduled)";
        } else if (w == Task.SLEEPING || w instanceof Sleep) {
            info.waitKind = "timer";
            Long deadline = t.timerState == Task.TIMER_IN_HEAP ? deadlines.get(t) : null;
            if (deadline != null) {
                info.deadline = deadline / 1e9;
                info.waitDescription = "sleep";
            } else {
                info.waitDescription = "(the timer fired: its next step is scheduled)";
            }
        } else if (w instanceof CancelledError) {
            info.waitKind = "ready";
            info.waitDescription = "(the sleep was cancelled: its next step delivers CancelledError)";
        } else if (w instanceof Task) {
            info.waitKind = "task";
            info.awaitedTask = ((Task<?>) w).number();
            info.waitDescription = w.toString();
        } else if (w instanceof Promise) {
            describePromiseWait((Promise<?>) w, innermost, info);
        } else {
            info.waitKind = "unknown";
            info.waitDescription = w.getClass().getName();
        }
    }

    /** What a promise stands for: the innermost frame awaited it, and the runtime's frames say why. */
    private static void describePromiseWait(Promise<?> promise, Frame<?> innermost, TaskDump.TaskInfo info) {
        info.waitKind = "promise";
        info.waitDescription = promise.toString();
        if (innermost == null) {
            return;
        }
        CoroutineBody body = Task.FRAMES.body(innermost);
        String bodyClass = body.getClass().getName();
        Object self = null;
        try {
            self = Frame.getRef(innermost, 0);
        } catch (IndexOutOfBoundsException e) {
            // no slots
        }
        String kind = self instanceof Queue ? "queue"
                : self instanceof Lock ? "lock"
                : self instanceof Event ? "event"
                : self instanceof Semaphore ? "semaphore"
                : self instanceof Condition ? "condition"
                : self instanceof Barrier ? "barrier"
                : null;
        if (kind != null) {
            info.waitKind = kind;
            info.waitDescription = self.toString();
            return;
        }
        String line = CoroutineNames.stackLine(innermost);
        if (bodyClass.startsWith("dev.coro.io.") || bodyClass.startsWith("dev.coro.internal.io.")
                || line.startsWith("dev.coro.internal.io.") || line.startsWith("dev.coro.io.")) {
            info.waitKind = "io";
            info.waitDescription = line;
        } else if (bodyClass.endsWith("$TaskGroupBody")) {
            info.waitKind = "task-group";
            info.waitDescription = "(its children to finish)";
        }
    }

    /** The children of a {@code taskGroup} frame's group; empty for any other frame. */
    private static Collection<Task<?>> groupChildren(CoroutineBody body) {
        if (!body.getClass().getName().endsWith("$TaskGroupBody")) {
            return List.of();
        }
        try {
            Object group = field(body, "group");
            Object tasks = group == null ? null : field(group, "tasks");
            if (tasks instanceof Collection) {
                List<Task<?>> children = new ArrayList<>();
                for (Object o : (Collection<?>) tasks) {
                    children.add((Task<?>) o);
                }
                return children;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the group's shape changed: no tree (TaskDumpTest notices)
        }
        return List.of();
    }

    /** Each task's sleep deadline (nanoTime) from the timer heap; one pass. */
    private static Map<Object, Long> timerDeadlines(TimerHeap timers) {
        Map<Object, Long> deadlines = new IdentityHashMap<>();
        try {
            Object[] items = (Object[]) field(timers, "items");
            long[] whens = (long[]) field(timers, "whens");
            long[] seqs = (long[]) field(timers, "seqs");
            int count = (Integer) field(timers, "count");
            for (int i = 0; i < count && i < items.length; i++) {
                Object item = items[i];
                if (item instanceof Task && ((Task<?>) item).isLiveTimer(seqs[i])) {
                    deadlines.put(item, whens[i]);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the heap's shape changed: no deadlines (TaskDumpTest notices)
        }
        return deadlines;
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true); // same module
        return f.get(owner);
    }
}
