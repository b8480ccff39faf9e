package dev.coro.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of a loop's live tasks and its two printed forms: text for people
 * ({@code Coro.dumpTasks}) and JSON for tools ({@code Coro.dumpTasksJson}), whose format is
 * versioned by {@link #SCHEMA}. The loop fills it in on its own thread (see
 * {@code EventLoop.dumpTasks}); nothing here runs until a dump is asked for.
 *
 * <h2>JSON, schema {@value #SCHEMA}</h2>
 * <pre>
 * { "schema": "coro-task-dump/1",
 *   "loop": "EventLoop[...]", "time": 12.5 (loop clock, seconds), "debug": false,
 *   "wallTime": "2026-12-05T13:20:01.123Z", "processId": 4242, "runtimeVersion": "25.0.3+9-LTS",
 *   "thread": "main" | null (the loop thread),
 *   "ready": 3, "timers": 2, "taskCount": 2, "runningTask": 1 | null, "consistent": true,
 *   "tasks": [ { "id": 1, "name": "main", "state": "pending", "cancelling": 0,
 *                "sinceLastStep": 0.25 | null (seconds; recorded in debug mode only),
 *                "coroutine": "com.acme.App.main",
 *                "stack": [ "com.acme.App.fetch(App.java:18)", ... ]   (innermost first; the
 *                           await line, or "(App.java) await #1" for code without await-site lines),
 *                "frames": [ { "class": "com.acme.App", "method": "fetch" | null, "file": "App.java" | null,
 *                              "line": 18 | null, "state": 1 }, ... ]   (the stack in parts),
 *                "waitsOn": { "kind": "timer" | "task" | "promise" | "queue" | "lock" | "event" |
 *                                      "semaphore" | "condition" | "barrier" | "io" | "java-future" |
 *                                      "ready" | "running",
 *                             "description": "...", "deadline": 13.0, "remaining": 0.5, "task": 2 },
 *                "awaits": [2], "awaitedBy": [3],
 *                "group": { "parent": 1 } | null } ] }
 * </pre>
 * Readers check {@code schema} and ignore fields they do not know: fields are added within a
 * version ({@code frames} was); a field that changes meaning or goes away changes the version.
 */
public final class TaskDump {
    /** The JSON schema name and version. */
    public static final String SCHEMA = "coro-task-dump/1";

    /** The loop's description. */
    public String loop;
    /** The loop's clock, seconds. */
    public double time;
    /** When the dump was taken, wall clock (ISO-8601, UTC), as the JDK's JSON thread dump has it. */
    public final String wallTime = java.time.Instant.now().toString();
    /** The process, as the JDK's JSON thread dump has it. */
    public final long processId = ProcessHandle.current().pid();
    /** {@code Runtime.version()}, as the JDK's JSON thread dump has it. */
    public final String runtimeVersion = Runtime.version().toString();
    /** The loop thread's name, or null when the loop is not running. */
    public String thread;
    /** Debug mode. */
    public boolean debug;
    /** Ready callbacks. */
    public int ready;
    /** Timers in the heap. */
    public int timers;
    /** The id of the task whose step is running (the dump's caller, usually), or -1. */
    public int runningTask = -1;
    /** False when taken from another thread while the loop was busy: fields may be torn. */
    public boolean consistent = true;
    /** The live tasks, in spawn order. */
    public final List<TaskInfo> tasks = new ArrayList<>();

    /** One live task. */
    public static final class TaskInfo {
        /** Its number (Task-N). */
        public int id;
        /** Its name. */
        public String name;
        /** pending, cancelled, failed, done. */
        public String state;
        /** Cancel requests ({@code cancelling()}). */
        public int cancelling;
        /** Seconds since its last step started, or negative when not recorded. */
        public double sinceLastStep = -1;
        /** The root coroutine's method. */
        public String coroutine;
        /** Suspended coroutines, innermost first. */
        public final List<String> stack = new ArrayList<>();
        /**
         * The same coroutines as {@link #stack}, in parts: class, method (null when only the
         * class is known), file (or null), line of the await (or -1); the state is in
         * {@link #states}.
         */
        public final List<StackTraceElement> frames = new ArrayList<>();
        /** Each frame's state (its await site's number, 0 before it starts). */
        public final List<Integer> states = new ArrayList<>();
        /** What it waits on: see the schema. */
        public String waitKind;
        /** A description of the awaited object. */
        public String waitDescription;
        /** For a timer: its deadline on the loop clock (seconds), else NaN. */
        public double deadline = Double.NaN;
        /** For a wait on a task: its id, else -1. */
        public int awaitedTask = -1;
        /** Tasks that wait on this one. */
        public final List<Integer> awaitedBy = new ArrayList<>();
        /** The task whose task group spawned this one, or -1. */
        public int groupParent = -1;
    }

    /**
     * Adds the {@code awaitedBy} edges from each task's {@code awaitedTask}.
     */
    public void link() {
        Map<Integer, TaskInfo> byId = new LinkedHashMap<>();
        for (TaskInfo t : tasks) {
            byId.put(t.id, t);
        }
        for (TaskInfo t : tasks) {
            TaskInfo target = byId.get(t.awaitedTask);
            if (target != null) {
                target.awaitedBy.add(t.id);
            }
        }
    }

    // ---------------------------------------------------------------- text

    /**
     * Writes the text form.
     *
     * @param out where
     */
    public void writeText(Appendable out) {
        try {
            Map<Integer, TaskInfo> byId = new LinkedHashMap<>();
            for (TaskInfo t : tasks) {
                byId.put(t.id, t);
            }
            out.append("Coro task dump (").append(SCHEMA).append(") of ").append(loop)
                    .append(" at loop time ").append(seconds(time)).append(": ")
                    .append(String.valueOf(tasks.size())).append(tasks.size() == 1 ? " task" : " tasks")
                    .append(debug ? ", debug mode" : "").append('\n');
            out.append("taken ").append(wallTime).append(", process ").append(String.valueOf(processId))
                    .append(", Java ").append(runtimeVersion)
                    .append(thread != null ? ", loop thread \"" + thread + "\"" : "").append('\n');
            if (!consistent) {
                out.append("(taken from another thread while the loop was busy: may be inconsistent)\n");
            }
            for (TaskInfo t : tasks) {
                out.append('\n').append(label(t)).append(' ').append(t.state);
                out.append(", cancelling=").append(String.valueOf(t.cancelling));
                if (t.sinceLastStep >= 0) {
                    out.append(", last step ").append(seconds(t.sinceLastStep)).append(" s ago");
                }
                if (t.groupParent >= 0) {
                    TaskInfo parent = byId.get(t.groupParent);
                    out.append(", in a task group of ")
                            .append(parent != null ? label(parent) : "Task #" + t.groupParent);
                }
                out.append('\n');
                out.append("  waits on: ").append(waitText(t, byId)).append('\n');
                for (String frame : t.stack) {
                    out.append("  at ").append(frame).append('\n');
                }
                if (!t.awaitedBy.isEmpty()) {
                    out.append("  awaited by:");
                    for (int id : t.awaitedBy) {
                        TaskInfo w = byId.get(id);
                        out.append(' ').append(w != null ? label(w) : "#" + id);
                    }
                    out.append('\n');
                }
            }
            writeTree(out, byId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree of tasks by task group and awaits, as {@code python -m asyncio pstree} draws it. */
    private void writeTree(Appendable out, Map<Integer, TaskInfo> byId) throws IOException {
        Map<Integer, List<TaskInfo>> children = new LinkedHashMap<>();
        List<TaskInfo> roots = new ArrayList<>();
        for (TaskInfo t : tasks) {
            int parent = t.groupParent >= 0 ? t.groupParent : -1;
            if (parent < 0 && t.awaitedBy.size() == 1) {
                parent = t.awaitedBy.get(0); // a task awaited by exactly one other task hangs under it
            }
            if (parent >= 0 && byId.containsKey(parent) && parent != t.id) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(t);
            } else {
                roots.add(t);
            }
        }
        out.append("\nTask tree (task groups and awaits):\n");
        List<Integer> seen = new ArrayList<>();
        for (TaskInfo root : roots) {
            writeNode(out, root, children, "", seen);
        }
    }

    private static void writeNode(Appendable out, TaskInfo t, Map<Integer, List<TaskInfo>> children, String indent,
            List<Integer> seen) throws IOException {
        if (seen.contains(t.id)) {
            return;
        }
        seen.add(t.id);
        out.append(indent).append(indent.isEmpty() ? "" : "└── ").append(label(t));
        if (!t.stack.isEmpty()) {
            out.append("  ").append(t.stack.get(0));
        }
        out.append('\n');
        for (TaskInfo c : children.getOrDefault(t.id, List.of())) {
            writeNode(out, c, children, indent + "    ", seen);
        }
    }

    private static String label(TaskInfo t) {
        return "Task '" + t.name + "' #" + t.id;
    }

    private String waitText(TaskInfo t, Map<Integer, TaskInfo> byId) {
        StringBuilder s = new StringBuilder(t.waitKind);
        if ("task".equals(t.waitKind)) {
            TaskInfo target = byId.get(t.awaitedTask);
            s.append(' ').append(target != null ? label(target) : t.waitDescription);
        } else if ("timer".equals(t.waitKind) && !Double.isNaN(t.deadline)) {
            s.append(", deadline ").append(seconds(t.deadline)).append(" (in ")
                    .append(seconds(t.deadline - time)).append(" s)");
        } else if (t.waitDescription != null) {
            s.append(' ').append(t.waitDescription);
        }
        return s.toString();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    // ---------------------------------------------------------------- JSON

    /**
     * Writes the JSON form (one object; see the class comment).
     *
     * @param out where
     */
    public void writeJson(Appendable out) {
        StringBuilder j = new StringBuilder(256 + 256 * tasks.size());
        j.append("{\"schema\":").append(quote(SCHEMA));
        j.append(",\"loop\":").append(quote(loop));
        j.append(",\"time\":").append(number(time));
        j.append(",\"wallTime\":").append(quote(wallTime));
        j.append(",\"processId\":").append(processId);
        j.append(",\"runtimeVersion\":").append(quote(runtimeVersion));
        j.append(",\"thread\":").append(thread == null ? "null" : quote(thread));
        j.append(",\"debug\":").append(debug);
        j.append(",\"ready\":").append(ready);
        j.append(",\"timers\":").append(timers);
        j.append(",\"taskCount\":").append(tasks.size());
        j.append(",\"runningTask\":").append(runningTask >= 0 ? String.valueOf(runningTask) : "null");
        j.append(",\"consistent\":").append(consistent);
        j.append(",\"tasks\":[");
        for (int i = 0; i < tasks.size(); i++) {
            TaskInfo t = tasks.get(i);
            if (i > 0) {
                j.append(',');
            }
            j.append("{\"id\":").append(t.id);
            j.append(",\"name\":").append(quote(t.name));
            j.append(",\"state\":").append(quote(t.state));
            j.append(",\"cancelling\":").append(t.cancelling);
            j.append(",\"sinceLastStep\":").append(t.sinceLastStep >= 0 ? number(t.sinceLastStep) : "null");
            j.append(",\"coroutine\":").append(quote(t.coroutine));
            j.append(",\"stack\":[");
            for (int k = 0; k < t.stack.size(); k++) {
                j.append(k > 0 ? "," : "").append(quote(t.stack.get(k)));
            }
            j.append("],\"frames\":[");
            for (int k = 0; k < t.frames.size(); k++) {
                StackTraceElement f = t.frames.get(k);
                j.append(k > 0 ? "," : "").append("{\"class\":").append(quote(f.getClassName()));
                j.append(",\"method\":").append(quote(f.getMethodName().isEmpty() ? null : f.getMethodName()));
                j.append(",\"file\":").append(quote(f.getFileName()));
                j.append(",\"line\":").append(f.getLineNumber() >= 0 ? String.valueOf(f.getLineNumber()) : "null");
                j.append(",\"state\":").append(k < t.states.size() ? t.states.get(k) : 0).append('}');
            }
            j.append("],\"waitsOn\":{\"kind\":").append(quote(t.waitKind));
            j.append(",\"description\":").append(quote(t.waitDescription));
            if (!Double.isNaN(t.deadline)) {
                j.append(",\"deadline\":").append(number(t.deadline));
                j.append(",\"remaining\":").append(number(t.deadline - time));
            }
            if (t.awaitedTask >= 0) {
                j.append(",\"task\":").append(t.awaitedTask);
            }
            j.append("},\"awaits\":[").append(t.awaitedTask >= 0 ? String.valueOf(t.awaitedTask) : "").append(']');
            j.append(",\"awaitedBy\":[");
            for (int k = 0; k < t.awaitedBy.size(); k++) {
                j.append(k > 0 ? "," : "").append(t.awaitedBy.get(k));
            }
            j.append("],\"group\":").append(t.groupParent >= 0 ? "{\"parent\":" + t.groupParent + "}" : "null");
            j.append('}');
        }
        j.append("]}\n");
        try {
            out.append(j);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", d);
    }

    /**
     * @param s a string, or null
     * @return its JSON literal
     */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    q.append("\\\"");
                    break;
                case '\\':
                    q.append("\\\\");
                    break;
                case '\n':
                    q.append("\\n");
                    break;
                case '\r':
                    q.append("\\r");
                    break;
                case '\t':
                    q.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
            }
        }
        return q.append('"').toString();
    }
}
