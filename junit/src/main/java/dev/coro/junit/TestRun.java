package dev.coro.junit;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Handle;
import dev.coro.Task;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Coro test: a fresh loop, the test's coroutine as a task, driven one iteration at a
 * time so that a deadlock is seen between two iterations, then the end-of-test checks. See
 * {@link CoroExtension} for what fails a test.
 */
final class TestRun {
    /** Iterations run after the test's task is done, to let what is ready finish (cancellations). */
    private static final int SETTLE_ITERATIONS = 1_000;
    /** Real time given to leftover tasks, once cancelled, to end. */
    private static final long CLEANUP_NANOS = 1_000_000_000L;
    private static final Runnable NO_OP = () -> { };

    /** Wakes a loop that waits for another thread when a test's real-time limit is reached. */
    private static final ScheduledExecutorService ALARMS;

    static {
        ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "coro-junit-alarm");
            t.setDaemon(true);
            return t;
        });
        alarms.setRemoveOnCancelPolicy(true);
        ALARMS = alarms;
    }

    /** How the drive ended. */
    private enum End { DONE, DEADLOCK, TIME_LIMIT, REAL_TIME_LIMIT }

    private final Method method;
    private final Object instance;
    private final boolean realTime;
    private final long limitNanos;
    private final long realLimitNanos;
    private final EventLoop loop;
    private final TestClock clock;
    private final List<Map<String, Object>> handlerCalls = new ArrayList<>();

    TestRun(Method method, Object instance, boolean realTime, Duration limit, Duration realLimit) {
        this.method = method;
        this.instance = instance;
        this.realTime = realTime;
        this.limitNanos = limit.toNanos();
        this.realLimitNanos = realLimit.toNanos();
        this.loop = realTime ? EventLoop.create() : EventLoop.virtualTime();
        this.clock = new TestClock(loop, realTime);
        loop.setExceptionHandler((l, context) -> handlerCalls.add(context));
    }

    /**
     * Runs the test and its checks.
     *
     * @throws Throwable the test's own exception (problems found by the checks suppressed in it),
     *     or an {@link AssertionError} naming the problems
     */
    void run() throws Throwable {
        List<Throwable> problems = new ArrayList<>();
        Throwable primary = null;
        try {
            Task<?> main = loop.spawn(coroutine(), method.getName());
            End end = drive(main);
            if (end != End.DONE) {
                problems.add(new AssertionError(describe(end) + "\n" + dump(tasks())));
                main.cancel();
            }
            // What is ready now (a cancellation the test just asked for, done callbacks) still runs.
            for (int i = 0; i < SETTLE_ITERATIONS && loop.hasReadyWork(); i++) {
                loop.runOneIteration();
            }
            if (main.isDone() && !main.isCancelled() && main.exception() != null) {
                primary = main.exception();
            } else if (end == End.DONE && main.isCancelled()) {
                problems.add(new AssertionError("The task of " + testName() + " was cancelled"));
            }
            Set<Task<?>> leaked = tasks();
            leaked.remove(main);
            if (!leaked.isEmpty() && end == End.DONE) {
                problems.add(new AssertionError(leaked.size() + (leaked.size() == 1 ? " task was" : " tasks were")
                        + " still running at the end of " + testName() + ": await or cancel every task the test"
                        + " spawns\n" + dump(leaked)));
            }
            cleanUp(main, leaked);
        } finally {
            loop.close(); // reports failures whose exception was never retrieved to the handler
        }
        for (Map<String, Object> call : handlerCalls) {
            Object exception = call.get("exception");
            AssertionError error = new AssertionError("The loop's exception handler was called during " + testName()
                    + ": " + describe(call));
            if (exception instanceof Throwable) {
                error.initCause((Throwable) exception);
            }
            problems.add(error);
        }
        if (primary != null) {
            for (Throwable problem : problems) {
                primary.addSuppressed(problem);
            }
            throw primary;
        }
        if (!problems.isEmpty()) {
            Throwable first = problems.get(0);
            for (Throwable problem : problems.subList(1, problems.size())) {
                first.addSuppressed(problem);
            }
            throw first;
        }
    }

    /** Calls the test method for its coroutine. */
    private Coroutine<?> coroutine() throws Throwable {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == EventLoop.class) {
                arguments[i] = loop;
            } else if (types[i] == TestClock.class) {
                arguments[i] = clock;
            } else {
                throw new IllegalArgumentException(testName() + " has a parameter of type " + types[i].getName()
                        + ": a Coro test can take an EventLoop and a TestClock only");
            }
        }
        method.setAccessible(true);
        Object returned;
        try {
            returned = method.invoke(Modifier.isStatic(method.getModifiers()) ? null : instance, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (returned == null) {
            throw new AssertionError(testName() + " returned null: an @Async test method returns its coroutine"
                    + " (`return done();`)");
        }
        return (Coroutine<?>) returned;
    }

    /**
     * Runs iterations until the test's task is done. Order is important here: between two
     * iterations the clock operation is settled first (its task becomes ready), then the loop is
     * checked for a deadlock, then the time limits.
     */
    private End drive(Task<?> main) {
        long start = loop.nanoTime();
        long realStart = System.nanoTime();
        // A loop that waits for another thread must still see the real-time limit.
        ScheduledFuture<?> alarm = ALARMS.schedule(() -> {
            if (!loop.isClosed()) {
                loop.callSoonThreadsafe(NO_OP);
            }
        }, realLimitNanos, TimeUnit.NANOSECONDS);
        try {
            while (!main.isDone()) {
                clock.settle();
                if (loop.isIdle()) {
                    return End.DEADLOCK;
                }
                if (loop.nanoTime() - start - limitNanos > 0) {
                    return End.TIME_LIMIT;
                }
                if (System.nanoTime() - realStart - realLimitNanos >= 0) {
                    return End.REAL_TIME_LIMIT;
                }
                // A real clock waits at most until the limit. (Not on a virtual clock: there this
                // timer would let the clock jump over outside work the loop waits for.)
                Handle guard = realTime ? loop.callAtNanos(start + limitNanos, NO_OP) : null;
                try {
                    loop.runOneIteration();
                } finally {
                    if (guard != null) {
                        guard.cancel();
                    }
                }
            }
            return End.DONE;
        } finally {
            if (alarm != null) {
                alarm.cancel(false);
            }
        }
    }

    /** Cancels the leftover tasks and lets them end, within a bound. */
    private void cleanUp(Task<?> main, Set<Task<?>> leftovers) {
        if (!main.isDone()) {
            main.cancel();
        }
        for (Task<?> task : leftovers) {
            task.cancel();
        }
        long deadline = System.nanoTime() + CLEANUP_NANOS;
        while (!loop.isIdle() && !tasks().isEmpty() && System.nanoTime() - deadline < 0) {
            loop.runOneIteration();
        }
        // Their exceptions (CancelledError or what the cancellation caused) are no test's concern.
        for (Task<?> task : leftovers) {
            if (task.isDone() && !task.isCancelled()) {
                task.exception();
            }
        }
        if (main.isDone() && !main.isCancelled()) {
            main.exception();
        }
    }

    /**
     * The loop's tasks not done, in spawn order. {@code Coro.allTasks()} needs a running loop, so
     * this reads them in a callback of one iteration; anything else ready runs in it too (the
     * callers let the ready work run first).
     */
    private Set<Task<?>> tasks() {
        List<Set<Task<?>>> snapshot = new ArrayList<>(1);
        loop.callSoon(() -> snapshot.add(new LinkedHashSet<>(Coro.allTasks())));
        loop.runOneIteration();
        return snapshot.isEmpty() ? new LinkedHashSet<>() : snapshot.get(0);
    }

    private String describe(End end) {
        switch (end) {
            case DEADLOCK:
                return "Deadlock in " + testName() + " at " + clock.now() + ": its task waits, but nothing is ready, no"
                        + " timer is set, no channel waits for I/O and no other thread's work is outstanding, so"
                        + " nothing can ever wake it. Waiting:";
            case TIME_LIMIT:
                return testName() + " did not end within its time limit of " + Duration.ofNanos(limitNanos)
                        + (realTime ? "" : " of virtual time") + " (@CoroTest(timeoutSeconds = ...)). Waiting:";
            case REAL_TIME_LIMIT:
                return testName() + " did not end within " + Duration.ofNanos(realLimitNanos) + " of real time"
                        + (realTime ? "" : " while its virtual clock stood at " + clock.now())
                        + " (a task that never lets the clock move, or work of another thread that does not end;"
                        + " @CoroTest(realTimeoutSeconds = ...)). Waiting:";
            default:
                throw new AssertionError(end);
        }
    }

    private static String dump(Set<Task<?>> tasks) {
        StringBuilder text = new StringBuilder();
        for (Task<?> task : tasks) {
            text.append("\n  ").append(task);
        }
        return text.length() == 0 ? "  (no task)" : text.substring(1);
    }

    private static String describe(Map<String, Object> context) {
        StringBuilder text = new StringBuilder(String.valueOf(context.get("message")));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (!e.getKey().equals("message") && !e.getKey().equals("exception")) {
                text.append("; ").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        Object exception = context.get("exception");
        if (exception != null) {
            text.append("; exception: ").append(exception);
        }
        return text.toString();
    }

    private String testName() {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
    }
}
