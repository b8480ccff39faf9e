package dev.coro.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.bench.peers.ThreadPeer;
import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every JMH benchmark of the module once, in this JVM ({@code -f 0 -wi 0 -i 1 -r 10ms}, one
 * small value of each parameter), so that the benchmarks compile, are registered and run without
 * error. It measures nothing: the scores are not looked at.
 */
class JmhSmokeTest {
    @Test
    void everyBenchmarkRunsOnce() throws Exception {
        boolean virtual = ThreadPeer.virtualThreadsAvailable();
        Options options = new OptionsBuilder()
                .include("dev\\.coro\\.bench\\.jmh\\..*")
                .exclude(virtual ? "^$" : ".*[vV]irtualThread.*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(10))
                .timeUnit(TimeUnit.MICROSECONDS)
                .param("tasks", "1000")
                .param("depth", "10")
                .param("capacity", "1")
                .shouldFailOnError(true)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        TreeSet<String> expected = new TreeSet<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().getAll(null, java.util.List.of())) {
            if (virtual || !e.getUsername().toLowerCase(java.util.Locale.ROOT).contains("virtualthread")) {
                expected.add(e.getUsername());
            }
        }
        TreeSet<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            ran.add(r.getParams().getBenchmark());
            assertTrue(r.getPrimaryResult().getSampleCount() > 0, r.getParams().getBenchmark());
        }
        assertTrue(expected.size() >= 20, "benchmarks found: " + expected);
        assertEquals(expected, ran);
    }
}
