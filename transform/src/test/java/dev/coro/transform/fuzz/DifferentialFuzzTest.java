package dev.coro.transform.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.transform.ClassHierarchy;
import dev.coro.transform.ClasspathHierarchy;
import dev.coro.transform.CoroTransformer;
import dev.coro.transform.Harness;
import dev.coro.transform.TransformResult;
import dev.coro.transform.Transformers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Differential fuzzing of the rewriter (docs/fuzzing.md): random {@code @Async} programs
 * ({@link ProgramGenerator}), each compiled by every available compiler ({@link Compilers}),
 * rewritten through the plugin's path (a classpath hierarchy) and the agent's path (the defining
 * loader's hierarchy), which must give the same bytes, verified with {@link CheckClassAdapter},
 * loaded (the JVM verifies them again) and run three ways: awaited values already done, each
 * await suspending once through the loop, and one awaited value throwing. Then once more
 * rewritten with await sites sharing their save code whenever they can
 * ({@link Transformers#sharingWheneverPossible}), which by default only large methods do. Every
 * run must leave the same log and end the same way as the plain reference version of the same
 * source.
 *
 * <p>System properties: {@code coro.fuzz.programs} (per compiler, default {@value #DEFAULT_PROGRAMS}),
 * {@code coro.fuzz.seed} (of the first program, default {@value #DEFAULT_SEED}; program {@code i}
 * uses seed {@code first + i}), {@code coro.fuzz.compilers} (ids to run, e.g. {@code ecj,javac}),
 * {@code coro.fuzz.batch} (programs per compiler invocation).
 */
class DifferentialFuzzTest {
    static final int DEFAULT_PROGRAMS = 30;
    static final long DEFAULT_SEED = 13_000;
    private static final long RUN_TIMEOUT_SECONDS = 20;

    private ExecutorService runner = newRunner();

    private static ExecutorService newRunner() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "fuzz-runner");
            thread.setDaemon(true); // a program that never ends (a rewriter bug) must not hold the JVM
            return thread;
        });
    }

    /** What one compiler's share of the run found. */
    private static final class Tally {
        int programs;
        int runs;
        /** Programs whose compiled class the JVM itself rejects: a compiler's bug, not the rewriter's. */
        final List<String> invalidByCompiler = new ArrayList<>();
        long compileNanos;
        long checkNanos;
        final List<String> failures = new ArrayList<>();
    }

    @Test
    void testRewrittenProgramsBehaveAsTheirPlainVersions() throws Exception {
        Harness.assertVerifierOn();
        int programs = Integer.getInteger("coro.fuzz.programs", DEFAULT_PROGRAMS);
        long firstSeed = Long.getLong("coro.fuzz.seed", DEFAULT_SEED);
        int batch = Integer.getInteger("coro.fuzz.batch", 40);
        String only = System.getProperty("coro.fuzz.compilers", "");
        Path work = Files.createDirectories(Path.of("target", "fuzz"));
        Path failures = Path.of("target", "fuzz-failures");

        Map<Compilers.Compiler, Tally> tallies = new LinkedHashMap<>();
        for (Compilers.Compiler compiler : Compilers.available()) {
            if (only.isBlank() || Arrays.asList(only.split(",")).contains(compiler.id())) {
                tallies.put(compiler, new Tally());
            }
        }
        assertTrue(!tallies.isEmpty(), "no compiler selected by coro.fuzz.compilers=" + only);
        long start = System.nanoTime();
        try {
            for (int from = 0; from < programs; from += batch) {
                int count = Math.min(batch, programs - from);
                Map<String, String> sources = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    long seed = firstSeed + from + i;
                    String name = "P" + seed;
                    sources.put(name, new ProgramGenerator(seed, name).generate());
                }
                for (Map.Entry<Compilers.Compiler, Tally> entry : tallies.entrySet()) {
                    runBatch(entry.getKey(), entry.getValue(), sources, work, failures);
                }
            }
        } finally {
            runner.shutdownNow();
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        StringBuilder report = new StringBuilder("differential fuzzing, seeds " + firstSeed + ".." + (firstSeed + programs - 1)
                + ", " + seconds + " s:");
        List<String> all = new ArrayList<>();
        for (Map.Entry<Compilers.Compiler, Tally> entry : tallies.entrySet()) {
            Tally tally = entry.getValue();
            report.append("\n  ").append(entry.getKey().name()).append(": ").append(tally.programs).append(" programs, ")
                    .append(tally.runs).append(" runs, ").append(tally.failures.size()).append(" failures")
                    .append(" (compiling ").append(tally.compileNanos / 1_000_000).append(" ms, rewriting and running ")
                    .append(tally.checkNanos / 1_000_000).append(" ms)");
            if (!tally.invalidByCompiler.isEmpty()) {
                report.append("; the JVM rejects the compiler's own output of ").append(tally.invalidByCompiler.size())
                        .append(" programs (a compiler bug, skipped): ").append(tally.invalidByCompiler);
            }
            all.addAll(tally.failures);
        }
        System.out.println(report);
        if (!all.isEmpty()) {
            fail(report + "\n" + String.join("\n\n", all.subList(0, Math.min(10, all.size())))
                    + "\n(sources of the failing programs under " + failures.toAbsolutePath()
                    + "; rerun one with -Dcoro.fuzz.seed=SEED -Dcoro.fuzz.programs=1)");
        }
        for (Tally tally : tallies.values()) {
            assertEquals(programs, tally.programs, "every program compiled and ran");
        }
    }

    private void runBatch(Compilers.Compiler compiler, Tally tally, Map<String, String> sources, Path work,
                          Path failures) throws IOException {
        Path folder = Files.createTempDirectory(Files.createDirectories(work), compiler.id() + "-");
        Path sourceFolder = Files.createDirectories(folder.resolve("src/fuzz"));
        Path output = Files.createDirectories(folder.resolve("classes"));
        List<Path> files = new ArrayList<>();
        Files.writeString(sourceFolder.resolve("A.java"), ProgramGenerator.SUPPORT_SOURCE, StandardCharsets.UTF_8);
        files.add(sourceFolder.resolve("A.java"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceFolder.resolve(source.getKey() + ".java");
            Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
            files.add(file);
        }
        List<Path> classpath = List.of(runtimeClasses(), Harness.CLASSES);
        long compileStart = System.nanoTime();
        String problem = compiler.compile(files, classpath, output);
        Map<String, String> compiled = new LinkedHashMap<>(sources);
        if (problem != null) {
            if (compiler.id().equals("javac")) {
                // the reference compiler rejects it: the generator's bug, not the rewriter's
                fail(compiler.name() + " rejected generated programs " + sources.keySet() + ":\n" + problem);
            }
            // another compiler rejects or crashes on some program javac accepts (ECJ 3.37 crashes
            // on some switch expressions with a try in an arm): find them by halves, skip them,
            // report them
            for (String name : rejected(compiler, new ArrayList<>(sources.keySet()), sourceFolder, classpath, output)) {
                compiled.remove(name);
                tally.programs++;
                tally.invalidByCompiler.add(name);
            }
        }
        tally.compileNanos += System.nanoTime() - compileStart;
        List<Path> hierarchyPath = new ArrayList<>();
        hierarchyPath.add(output);
        hierarchyPath.addAll(classpath);
        int failedBefore = tally.failures.size();
        try (ClasspathHierarchy pluginHierarchy = ClassHierarchy.fromClasspath(hierarchyPath);
             URLClassLoader originals = new URLClassLoader(new URL[] {output.toUri().toURL()}, getClass().getClassLoader())) {
            FuzzLoader loader = new FuzzLoader(output, new CoroTransformer(pluginHierarchy), originals);
            loader.agent = new CoroTransformer(ClassHierarchy.fromClassLoader(loader));
            // and once more with every await site sharing its save code when it can, so that the
            // shared code (which by default only large methods get) meets every shape
            FuzzLoader sharing = new FuzzLoader(output, Transformers.sharingWheneverPossible(pluginHierarchy), originals);
            for (String name : compiled.keySet()) {
                tally.programs++;
                long checkStart = System.nanoTime();
                try {
                    // linking verifies it: the compiler's output must be valid before the rewriter's is
                    Class.forName("fuzz." + name, true, originals);
                } catch (VerifyError | ClassFormatError invalid) {
                    tally.invalidByCompiler.add(name + " (" + firstLine(invalid.getMessage()) + ")");
                    continue;
                } catch (Throwable e) {
                    tally.failures.add(compiler.name() + ", " + name + ": the original does not load: " + describe(e));
                    continue;
                }
                String failure = check(loader, name, tally);
                if (failure == null) {
                    failure = check(sharing, name, tally);
                    failure = failure == null ? null : "(sites sharing their saves whenever they can) " + failure;
                }
                tally.checkNanos += System.nanoTime() - checkStart;
                if (failure != null) {
                    Path saved = failures.resolve(compiler.id()).resolve(name + ".java");
                    Files.createDirectories(saved.getParent());
                    Files.writeString(saved, sources.get(name), StandardCharsets.UTF_8);
                    tally.failures.add(compiler.name() + ", " + name + " (seed " + name.substring(1) + "): " + failure);
                }
            }
        }
        if (tally.failures.size() == failedBefore) {
            deleteTree(folder);
        } // else kept, class files included, for javap
    }

    /** Runs one program every way; returns what went wrong, or null. */
    private String check(FuzzLoader loader, String name, Tally tally) {
        Class<?> program;
        try {
            program = loader.loadClass("fuzz." + name);
            // its nested classes are loaded (and rewritten) when first used; load them now so
            // that a rewriting problem is reported as one
            for (Class<?> nested : program.getDeclaredClasses()) {
                nested.getName();
            }
        } catch (Throwable e) {
            return "rewriting or loading failed: " + describe(e);
        }
        Method async;
        Method plain;
        try {
            async = program.getMethod("main", StringBuilder.class);
            plain = program.getMethod("main_p", StringBuilder.class);
        } catch (NoSuchMethodException e) {
            return "no main/main_p: " + e;
        }
        String reference = run(plain, false, false, 0);
        int values = FuzzMode.made;
        List<int[]> ways = new ArrayList<>();
        ways.add(new int[] {0, 0});
        ways.add(new int[] {1, 0});
        if (values > 0) {
            Random random = new Random(name.hashCode());
            TreeSet<Integer> failAt = new TreeSet<>(List.of(1, values, 1 + random.nextInt(values)));
            int index = 0;
            for (int at : failAt) {
                ways.add(new int[] {index++ % 2, at});
            }
        }
        for (int[] way : ways) {
            boolean suspend = way[0] == 1;
            int failAt = way[1];
            String expected = failAt == 0 ? reference : run(plain, false, false, failAt);
            String actual = run(async, true, suspend, failAt);
            tally.runs++;
            if (!expected.equals(actual)) {
                return (suspend ? "each await suspending" : "values already done")
                        + (failAt == 0 ? "" : ", value " + failAt + " throwing") + ":\n    plain:     " + expected
                        + "\n    rewritten: " + actual;
            }
        }
        return null;
    }

    /** Runs the plain method, or the async one on a loop; describes the log and the ending. */
    private String run(Method method, boolean async, boolean suspend, int failAt) {
        Future<String> result = runner.submit(() -> {
            FuzzMode.reset(suspend, failAt);
            StringBuilder log = new StringBuilder();
            String ending;
            try {
                Object value = method.invoke(null, log);
                if (async) {
                    value = Coro.run((Coroutine<?>) value, EventLoop.virtualTime());
                }
                ending = "returned " + value;
            } catch (InvocationTargetException e) {
                ending = "threw " + describe(e.getCause());
            } catch (Throwable e) {
                ending = "threw " + describe(e);
            }
            return log + " | " + ending + " | values " + FuzzMode.made;
        });
        try {
            return result.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            runner.shutdownNow();
            runner = newRunner();
            return "did not end in " + RUN_TIMEOUT_SECONDS + " s";
        } catch (Exception e) {
            return "runner failed: " + e;
        }
    }

    private static String describe(Throwable e) {
        if (e instanceof LinkageError || e instanceof AssertionError) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return trace.toString();
        }
        return e.getClass().getName() + ": " + e.getMessage();
    }

    /** The programs of a batch that the compiler rejects, each alone (with the support class). */
    private static List<String> rejected(Compilers.Compiler compiler, List<String> names, Path sourceFolder,
                                         List<Path> classpath, Path output) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(sourceFolder.resolve("A.java"));
        names.forEach(name -> files.add(sourceFolder.resolve(name + ".java")));
        if (compiler.compile(files, classpath, output) == null) {
            return List.of();
        }
        if (names.size() == 1) {
            return names;
        }
        List<String> result = new ArrayList<>();
        int half = names.size() / 2;
        result.addAll(rejected(compiler, names.subList(0, half), sourceFolder, classpath, output));
        result.addAll(rejected(compiler, names.subList(half, names.size()), sourceFolder, classpath, output));
        return result;
    }

    private static String firstLine(String text) {
        String trimmed = text == null ? "" : text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }

    private static Path runtimeClasses() {
        try {
            return Path.of(Coro.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        try (var walk = Files.walk(folder)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Defines the batch's classes, rewritten: by the plugin's path and the agent's, which must agree
     * byte for byte; each rewritten class is checked with {@link CheckClassAdapter} first.
     */
    private static final class FuzzLoader extends URLClassLoader {
        private final Path output;
        private final CoroTransformer plugin;
        private final ClassLoader originals;
        /** The agent's path, set once the loader exists; null for a variant compared with nothing. */
        CoroTransformer agent;

        FuzzLoader(Path output, CoroTransformer plugin, ClassLoader originals) throws IOException {
            super(new URL[] {output.toUri().toURL()}, DifferentialFuzzTest.class.getClassLoader());
            this.output = output;
            this.plugin = plugin;
            this.originals = originals;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("fuzz.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = define(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private Class<?> define(String name) throws ClassNotFoundException {
            Path file = output.resolve(name.replace('.', '/') + ".class");
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
            TransformResult byPlugin = plugin.transform(bytes);
            TransformResult byAgent = agent == null ? byPlugin : agent.transform(bytes);
            if (byPlugin.status() != byAgent.status() || !Arrays.equals(byPlugin.bytes(), byAgent.bytes())) {
                throw new AssertionError(name + ": the plugin's and the agent's paths disagree: " + byPlugin.status()
                        + " " + byPlugin.diagnostics() + " / " + byAgent.status() + " " + byAgent.diagnostics());
            }
            if (byPlugin.status() == TransformResult.Status.FAILED || byPlugin.status() == TransformResult.Status.UNREADABLE) {
                throw new AssertionError(name + ": refused: " + byPlugin.diagnostics());
            }
            byte[] out = byPlugin.bytes();
            if (byPlugin.changed()) {
                StringWriter problems = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(out), originals, false, new PrintWriter(problems));
                if (!problems.toString().isEmpty()) {
                    throw new AssertionError(name + ": CheckClassAdapter: " + problems);
                }
            }
            return defineClass(name, out, 0, out.length);
        }
    }
}
