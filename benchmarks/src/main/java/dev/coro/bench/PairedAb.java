package dev.coro.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Same-JVM paired A/B of two or more builds of Coro: each benchmark jar is loaded in its own class
 * loader (so each has its own runtime classes and its own JIT-compiled code), and the builds take
 * turns in 200 ms slices, round after round, rotating which goes first.
 *
 * <p>Why: on a shared VM the machine's speed drifts by more than the few percent a regression
 * check must see, and separate JMH forks of two builds meet different moments of that drift.
 * Slices of 200 ms in one JVM see the same machine, so the per-round ratio of two builds is
 * steady even when the times are not. The JIT still shapes each JVM's code its own way (the same
 * build varies by 10-20 % between JVMs), so run several JVMs and compare the ratios, not single
 * times ({@code benchmarks/scripts/paired-ab.sh} does both).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.coro.bench.PairedAb WORKLOAD ROUNDS base.jar other.jar...}
 * with WORKLOAD one of {@code w1 w2 w2-1000 w3-10 w4 w4-gather}, at the JMH workloads' sizes.
 * A build may also be a class path (entries separated by the platform's path separator).
 * It prints one line: each jar's median time per operation and each other jar's median ratio to
 * the first, with the quartiles of the per-round ratios.
 */
public final class PairedAb {
    private static final long SLICE_NANOS = 200_000_000L;
    private static final long WARMUP_NANOS_PER_BUILD = 8_000_000_000L;

    private PairedAb() {
    }

    /**
     * @param args workload, rounds, then two or more benchmark jars (the first is the base)
     * @throws Exception if a jar cannot be loaded or a workload fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PairedAb w1|w2|w2-1000|w3-10|w4|w4-gather ROUNDS base.jar other.jar...");
            System.exit(2);
        }
        System.out.println(compare(args[0], Integer.parseInt(args[1]),
                Arrays.copyOfRange(args, 2, args.length), WARMUP_NANOS_PER_BUILD));
    }

    /**
     * Runs the comparison.
     *
     * @param workload the workload's name
     * @param rounds how many rounds (each build runs one slice per round)
     * @param builds the builds' jars or class paths, the base first
     * @param warmupNanosPerBuild warm-up time per build before the rounds
     * @return the result line
     * @throws Exception if a build cannot be loaded or a workload fails
     */
    static String compare(String workload, int rounds, String[] builds, long warmupNanosPerBuild)
            throws Exception {
        int n = builds.length;
        Workload[] runs = new Workload[n];
        for (int i = 0; i < n; i++) {
            runs[i] = Workload.load(workload, builds[i]);
        }
        long warmEnd = System.nanoTime() + n * warmupNanosPerBuild;
        while (System.nanoTime() < warmEnd) {
            for (Workload w : runs) {
                for (int k = 0; k < 5; k++) {
                    w.once();
                }
            }
        }
        double[][] micros = new double[n][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < n; j++) {
                int i = (j + r) % n;
                long start = System.nanoTime();
                int ops = 0;
                long elapsed;
                do {
                    runs[i].once();
                    ops++;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < SLICE_NANOS);
                micros[i][r] = elapsed / 1e3 / ops;
            }
        }
        StringBuilder line = new StringBuilder(workload);
        for (int i = 0; i < n; i++) {
            line.append(String.format(Locale.ROOT, "  jar%d %.1f us/op", i, median(micros[i])));
        }
        for (int i = 1; i < n; i++) {
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = micros[i][r] / micros[0][r];
            }
            Arrays.sort(ratio);
            line.append(String.format(Locale.ROOT, "  jar%d/jar0 %.3f [%.3f %.3f]", i, ratio[rounds / 2],
                    ratio[rounds / 4], ratio[(3 * rounds) / 4]));
        }
        return line.toString();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** One workload of one jar's {@code CoroPeer}, called by reflection. */
    private static final class Workload {
        private final Method method;
        private final Object[] args;
        private final long expected;

        private Workload(Method method, Object[] args, long expected) {
            this.method = method;
            this.args = args;
            this.expected = expected;
        }

        static Workload load(String name, String classPath) throws Exception {
            String[] entries = classPath.split(java.io.File.pathSeparator);
            URL[] urls = new URL[entries.length];
            for (int i = 0; i < entries.length; i++) {
                urls[i] = Path.of(entries[i]).toUri().toURL();
            }
            // The platform loader as parent: this build's classes are not shared with another's.
            URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            Class<?> peer = loader.loadClass("dev.coro.bench.coro.CoroPeer");
            switch (name) {
                case "w1":
                    return new Workload(peer.getMethod("awaitCompleted", int.class), new Object[] {10_000}, 10_000);
                case "w2":
                    return new Workload(peer.getMethod("switches", int.class, int.class),
                            new Object[] {1, 1_000_000}, 1_000_000);
                case "w2-1000":
                    return new Workload(peer.getMethod("switches", int.class, int.class),
                            new Object[] {1_000, 1_000}, 1_000_000);
                case "w3-10":
                    return new Workload(peer.getMethod("chain", int.class, int.class), new Object[] {10, 1_000},
                            10_000);
                case "w4":
                    return new Workload(peer.getMethod("spawnAwait", int.class), new Object[] {10_000}, 10_000);
                case "w4-gather":
                    return new Workload(peer.getMethod("gather", int.class), new Object[] {10_000}, 10_000);
                default:
                    throw new IllegalArgumentException("unknown workload " + name
                            + ": use w1, w2, w2-1000, w3-10, w4 or w4-gather");
            }
        }

        void once() throws Exception {
            Object result;
            try {
                result = method.invoke(null, args);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("the workload failed", e.getCause());
            }
            if (((Number) result).longValue() != expected) {
                throw new IllegalStateException("wrong checksum " + result + ", expected " + expected);
            }
        }
    }
}
