package dev.coro.bench;

/**
 * The sizes every peer runs with, so that one JMH operation means the same work for all of them.
 * Figures per unit (ns per await, per switch, per level, per task, per item) are the JMH score
 * divided by the unit count given here; {@code scripts/bench.py} does that division.
 *
 * <p>The module's smoke tests set the system property {@code dev.coro.bench.divisor} (100) to divide
 * every size, so that one pass of each benchmark is quick; measurements never set it.
 */
public final class Sizes {
    /** What every size is divided by: 1 unless {@code -Ddev.coro.bench.divisor=N} (smoke tests). */
    public static final int DIVISOR = Math.max(1, Integer.getInteger("dev.coro.bench.divisor", 1));

    /** Workload 1: awaits of an already-completed awaitable per operation. */
    public static final int COMPLETED_AWAITS = 10_000 / DIVISOR;
    /** Workload 3: chains run one after the other per operation. */
    public static final int CHAINS = 1_000 / DIVISOR;
    /** Workload 4: tasks spawned (one after the other, or at once for gather) per operation. */
    public static final int SPAWNS = 10_000 / DIVISOR;
    /** Workload 7: items passed from the producer to the consumer per operation. */
    public static final int ITEMS = 100_000 / DIVISOR;

    private Sizes() {
    }

    /**
     * Workload 2: how many times each of {@code tasks} tasks yields in one operation: one million
     * switches in all for 1 and 1,000 tasks; 5 per task (five million switches) for a million tasks,
     * where spawning the tasks is part of the operation.
     *
     * @param tasks the number of tasks running round robin
     * @return yields per task
     */
    public static int yieldsPerTask(int tasks) {
        return Math.max(5, 1_000_000 / DIVISOR / tasks);
    }

    /**
     * Workload 2: the switches of one operation, {@code tasks * yieldsPerTask(tasks)}.
     *
     * @param tasks the number of tasks running round robin
     * @return the number of suspend+resume switches
     */
    public static long switches(int tasks) {
        return (long) tasks * yieldsPerTask(tasks);
    }
}
