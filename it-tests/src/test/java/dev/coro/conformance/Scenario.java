package dev.coro.conformance;

import dev.coro.Coroutine;
import java.time.Duration;
import java.util.List;

/**
 * Base class of the Java ports of the asyncio conformance scenarios
 * ({@code src/test/resources/asyncio/scenario_NN_*.py}). A port is written the way a user writes
 * Coro code ({@code @Async} methods, {@code await(...)}), with the Python script's structure and
 * names; it prints through {@link #print(Object...)} (Python's {@code print}) into a buffer that
 * {@link ConformanceTest} compares with CPython's trace.
 *
 * <p>{@link #script()} is the script's top level; {@link #asyncioRun(Coroutine)} is
 * {@code asyncio.run} on a fresh virtual-time loop, so times print exactly.
 */
public abstract class Scenario {
    private final StringBuilder out = new StringBuilder();
    private double virtualSecondsRun;

    /** The script's top level, what {@code python3 scenario_NN.py} runs. */
    protected abstract void script() throws Exception;

    /**
     * Runs the script and returns everything it printed.
     *
     * @return the printed trace, {@code \n}-terminated lines
     * @throws Exception whatever the script let escape (the test reports it with the output so far)
     */
    public final String run() throws Exception {
        script();
        return output();
    }

    /** @return what the script printed so far */
    public final String output() {
        synchronized (out) {
            return out.toString();
        }
    }

    /**
     * Python's {@code print(*parts)}: the {@code str()} of each part, separated by one space, then a
     * newline. Thread-safe (scenario 38 prints from a worker thread).
     *
     * @param parts the values to print
     */
    protected final void print(Object... parts) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                line.append(' ');
            }
            line.append(Py.str(parts[i]));
        }
        line.append('\n');
        synchronized (out) {
            out.append(line);
        }
    }

    /**
     * {@code asyncio.run(main)}: runs {@code main} on a new virtual-time event loop, then cancels the
     * tasks still pending and closes the loop.
     *
     * @param main the main coroutine
     * @param <T> its result type
     * @return its result
     */
    protected final <T> T asyncioRun(Coroutine<T> main) {
        return Loops.run(main, true, seconds -> virtualSecondsRun += seconds);
    }

    /**
     * {@code asyncio.run(main)} on a new loop driven by the real clock: for the scenario about real
     * threads (38), whose script relies on a real 50 ms passing while a worker thread starts, and
     * for the I/O scenarios (41-52), whose peers are real loopback sockets and whose scripts wait
     * real tenths of a second for a peer that must not have read.
     *
     * @param main the main coroutine
     * @param <T> its result type
     * @return its result
     */
    protected final <T> T asyncioRunRealTime(Coroutine<T> main) {
        return Loops.run(main, false, seconds -> { });
    }

    /**
     * {@code time.perf_counter()} for a script's top level: the virtual seconds that the loops run
     * by {@link #asyncioRun(Coroutine)} so far have advanced.
     *
     * @return seconds
     */
    protected final double perfCounter() {
        return virtualSecondsRun;
    }

    /**
     * A delay in seconds, as the Python scripts write it ({@code asyncio.sleep(0.1)} is
     * {@code sleep(sec(0.1))}).
     *
     * @param seconds seconds, may be 0 or negative
     * @return the duration, rounded to the nanosecond
     */
    protected static Duration sec(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /**
     * Python's {@code sorted(list_of_str)}.
     *
     * @param items strings
     * @return a sorted copy
     */
    protected static List<String> sorted(List<String> items) {
        return items.stream().sorted().toList();
    }
}
