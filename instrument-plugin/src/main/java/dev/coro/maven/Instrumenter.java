package dev.coro.maven;

import dev.coro.transform.ClassHierarchy;
import dev.coro.transform.ClasspathHierarchy;
import dev.coro.transform.CoroTransformer;
import dev.coro.transform.Diagnostic;
import dev.coro.transform.TransformResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rewrites the class files of one folder in place: the work of both goals, without Maven, so it
 * can be tested directly.
 *
 * <p>For each {@code .class} file under the folder that the include/exclude patterns select:
 * <ol>
 *   <li>skipped without being read if the incremental state says the last run left it as it is;
 *   <li>skipped after a cheap look at its constant pool ({@link CoroTransformer#mayNeedRewriting})
 *       when it does not mention Coro;
 *   <li>otherwise handed to the rewriter; rewritten bytes replace the file, a class already
 *       carrying the marker is left alone, refused sites are collected as {@link Diagnostic}s and
 *       the file is left as compiled (and is looked at again next run).
 * </ol>
 */
final class Instrumenter {
    /** What to do with a coroutine that is never awaited (a call whose Coroutine result is thrown away). */
    enum NeverAwaited {
        /** Log a warning (the default). */
        WARN,
        /** Count it as an error: the class is left as compiled and the build fails (with failOnError). */
        ERROR,
        /** Do not look. */
        IGNORE;

        /**
         * @param value {@code warn}, {@code error} or {@code ignore}, any case
         * @return the mode
         * @throws IllegalArgumentException for anything else
         */
        static NeverAwaited parse(String value) {
            String v = value == null ? "warn" : value.trim().toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "", "warn" -> WARN;
                case "error" -> ERROR;
                case "ignore" -> IGNORE;
                default -> throw new IllegalArgumentException("neverAwaited is '" + value
                        + "': use warn, error or ignore (<neverAwaited> in the plugin's configuration,"
                        + " or -Dcoro.neverAwaited=...)");
            };
        }
    }

    private NeverAwaited neverAwaited = NeverAwaited.WARN;
    private final Path classesDirectory;
    private final List<Path> classpath;
    private final List<String> includes;
    private final List<String> excludes;
    private final Path stateFile;
    private final List<Path> sourceRoots;
    private final Reporter reporter;

    /**
     * @param classesDirectory the folder whose class files are rewritten in place
     * @param classpath the classpath the classes were compiled against (folders and jars), used to
     *     read the class hierarchy; the classes folder is searched first whether listed or not
     * @param includes glob patterns (relative to the folder, e.g. {@code com/acme/**}) selecting the
     *     class files to look at; empty means all
     * @param excludes glob patterns of class files to leave alone; applied after {@code includes}
     * @param stateFile where the incremental state is kept between runs
     * @param sourceRoots source folders, to print refused sites with the source file's full path
     *     when it can be found; may be empty
     * @param reporter where progress goes
     */
    Instrumenter(Path classesDirectory, List<Path> classpath, List<String> includes, List<String> excludes,
                 Path stateFile, List<Path> sourceRoots, Reporter reporter) {
        this.classesDirectory = Objects.requireNonNull(classesDirectory, "classesDirectory");
        this.classpath = List.copyOf(classpath);
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
        this.sourceRoots = List.copyOf(sourceRoots);
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    /**
     * @param mode what to do with never-awaited coroutines
     * @return this
     */
    Instrumenter neverAwaited(NeverAwaited mode) {
        this.neverAwaited = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * What one run did.
     *
     * @param classesScanned class files selected by the patterns
     * @param classesSkippedAsUnchanged class files skipped because the last run left them as they are
     * @param classesAlreadyRewritten class files that already carried the marker
     * @param classesRewritten class files rewritten by this run
     * @param methodsRewritten methods (and async lambdas) rewritten by this run
     * @param errors refused sites, formatted {@code path/File.java:line: message}; the classes
     *     they are in were left as compiled
     * @param unreadable class files that are not readable class files (truncated or corrupt: a
     *     stale or broken build), formatted {@code path/Foo.class: unreadable class file (...)};
     *     not refused sites, and left as they are
     * @param elapsedMillis how long the run took
     * @param warnings never-awaited coroutines (in {@code warn} mode), formatted as errors are
     */
    record Summary(int classesScanned, int classesSkippedAsUnchanged, int classesAlreadyRewritten,
                   int classesRewritten, int methodsRewritten, List<String> errors, List<String> unreadable,
                   long elapsedMillis, List<String> warnings) {
        /** @return the one line the goal logs at info level */
        String line() {
            StringBuilder line = new StringBuilder()
                    .append("rewrote ").append(methodsRewritten).append(methodsRewritten == 1 ? " method" : " methods")
                    .append(" in ").append(classesRewritten).append(classesRewritten == 1 ? " class" : " classes")
                    .append(" in ").append(elapsedMillis).append(" ms")
                    .append(" (").append(classesScanned).append(classesScanned == 1 ? " class file" : " class files").append(" looked at");
            if (classesSkippedAsUnchanged > 0) {
                line.append(", ").append(classesSkippedAsUnchanged).append(" unchanged since the last run");
            }
            if (classesAlreadyRewritten > 0) {
                line.append(", ").append(classesAlreadyRewritten).append(" already rewritten");
            }
            if (!errors.isEmpty()) {
                line.append(", ").append(errors.size()).append(errors.size() == 1 ? " error" : " errors");
            }
            if (!warnings.isEmpty()) {
                line.append(", ").append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings");
            }
            if (!unreadable.isEmpty()) {
                line.append(", ").append(unreadable.size())
                        .append(unreadable.size() == 1 ? " unreadable class file" : " unreadable class files");
            }
            return line.append(')').toString();
        }
    }

    /**
     * Rewrites the folder.
     *
     * @return what was done; refused sites are in {@link Summary#errors()} and broken class files
     *     in {@link Summary#unreadable()}, the caller decides whether they fail the build
     * @throws UncheckedIOException if a class file cannot be read or written
     */
    Summary run() {
        long start = System.nanoTime();
        IncrementalState previous = IncrementalState.load(stateFile);
        IncrementalState next = IncrementalState.empty();
        List<Path> files = classFiles();
        List<Path> hierarchyPath = new ArrayList<>();
        hierarchyPath.add(classesDirectory);
        hierarchyPath.addAll(classpath);
        int skipped = 0;
        int alreadyRewritten = 0;
        int classesRewritten = 0;
        int methodsRewritten = 0;
        List<String> errors = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean lookForNeverAwaited = neverAwaited != NeverAwaited.IGNORE;
        try (ClasspathHierarchy hierarchy = ClassHierarchy.fromClasspath(hierarchyPath)) {
            CoroTransformer transformer = lookForNeverAwaited
                    ? new CoroTransformer(hierarchy).reportingNeverAwaited() : new CoroTransformer(hierarchy);
            for (Path file : files) {
                String relative = relativeName(file);
                IncrementalState.Stamp stamp = IncrementalState.Stamp.of(file);
                if (previous.unchanged(relative, stamp)) {
                    skipped++;
                    next.record(relative, stamp);
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                if (!CoroTransformer.mayNeedRewriting(bytes)
                        && !(lookForNeverAwaited && CoroTransformer.mayCallCoroutines(bytes))) {
                    next.record(relative, stamp);
                    continue;
                }
                TransformResult result;
                try {
                    result = transformer.transform(bytes);
                } catch (RuntimeException e) {
                    errors.add(relative + ": the Coro rewriter failed on this class (" + e
                            + "); please report it with the class file attached");
                    reporter.detail("rewriter failure on " + relative + ": " + stackTrace(e));
                    continue;
                }
                if (!result.warnings().isEmpty()) {
                    if (neverAwaited == NeverAwaited.ERROR && result.status() != TransformResult.Status.FAILED) {
                        // an error like a refused site: the class stays as compiled and is not
                        // recorded, so that the next run looks at it again
                        for (Diagnostic diagnostic : result.warnings()) {
                            errors.add(format(diagnostic));
                        }
                        continue;
                    }
                    for (Diagnostic diagnostic : result.warnings()) {
                        (neverAwaited == NeverAwaited.ERROR ? errors : warnings).add(format(diagnostic));
                    }
                }
                switch (result.status()) {
                    case REWRITTEN -> {
                        Files.write(file, result.bytes(), StandardOpenOption.TRUNCATE_EXISTING);
                        classesRewritten++;
                        methodsRewritten += result.rewrittenMethods();
                        next.record(relative, IncrementalState.Stamp.of(file));
                        reporter.detail("rewrote " + result.rewrittenMethods()
                                + (result.rewrittenMethods() == 1 ? " method in " : " methods in ") + relative);
                    }
                    case ALREADY_REWRITTEN -> {
                        alreadyRewritten++;
                        next.record(relative, stamp);
                        reporter.detail("already rewritten: " + relative);
                    }
                    case UNCHANGED -> next.record(relative, stamp);
                    case UNREADABLE -> {
                        // not recorded in the state: looked at again after the next compilation
                        for (Diagnostic diagnostic : result.diagnostics()) {
                            unreadable.add(relative + ": " + diagnostic.message());
                        }
                    }
                    case FAILED -> {
                        for (Diagnostic diagnostic : result.diagnostics()) {
                            errors.add(format(diagnostic));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rewrite the classes in " + classesDirectory + ": " + e.getMessage(), e);
        }
        next.save(stateFile);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        return new Summary(files.size(), skipped, alreadyRewritten, classesRewritten, methodsRewritten,
                List.copyOf(errors), List.copyOf(unreadable), elapsedMillis, List.copyOf(warnings));
    }

    /**
     * Formats a refused site as javac does: the source file's path (absolute when it is found
     * under one of the source roots, else relative to the source root) and the line.
     */
    String format(Diagnostic diagnostic) {
        String relative = diagnostic.sourcePath();
        for (Path root : sourceRoots) {
            Path candidate = root.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                Diagnostic located = diagnostic.line() < 0 ? locate(diagnostic, candidate) : diagnostic;
                return candidate.toAbsolutePath().normalize() + located.format().substring(relative.length());
            }
        }
        return diagnostic.format();
    }

    /**
     * A diagnostic on a method with no code (an abstract or interface method: the class file has
     * no line for it) gets the line of the method's declaration in the source: the first line
     * declaring {@code name(} after an {@code @Async}. Unchanged when none is found.
     */
    static Diagnostic locate(Diagnostic diagnostic, Path source) {
        String name = diagnostic.methodName();
        if (name == null || name.startsWith("<") || name.contains("$")) {
            return diagnostic;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(source);
        } catch (IOException | RuntimeException e) {
            return diagnostic; // unreadable or not UTF-8: keep the '?'
        }
        java.util.regex.Pattern declaration = java.util.regex.Pattern.compile(
                "(^|[\\s>\\]])" + java.util.regex.Pattern.quote(name) + "\\s*\\(");
        int lastAsync = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains("@Async")) {
                lastAsync = i;
            }
            if (lastAsync >= 0 && i - lastAsync <= 3 && declaration.matcher(line).find()) {
                return new Diagnostic(diagnostic.className(), diagnostic.sourceFile(), i + 1,
                        diagnostic.methodName(), diagnostic.methodDescriptor(), diagnostic.message());
            }
        }
        return diagnostic;
    }

    private List<Path> classFiles() {
        List<PathMatcher> includeMatchers = includes.stream().flatMap(Instrumenter::matchers).toList();
        List<PathMatcher> excludeMatchers = excludes.stream().flatMap(Instrumenter::matchers).toList();
        try (Stream<Path> walk = Files.walk(classesDirectory)) {
            return walk.filter(path -> path.getFileName().toString().endsWith(".class"))
                    .filter(path -> !path.getFileName().toString().equals("module-info.class"))
                    .filter(Files::isRegularFile)
                    .filter(path -> {
                        Path relative = classesDirectory.relativize(path);
                        return (includeMatchers.isEmpty() || includeMatchers.stream().anyMatch(m -> m.matches(relative)))
                                && excludeMatchers.stream().noneMatch(m -> m.matches(relative));
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the class files in " + classesDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * A glob pattern as Ant users mean it: {@code **}{@code /Foo.class} also matches a
     * {@code Foo.class} at the top (a Java glob's {@code **}{@code /} needs at least one folder).
     */
    private static Stream<PathMatcher> matchers(String pattern) {
        FileSystem fileSystem = FileSystems.getDefault();
        String glob = pattern.trim().replace('\\', '/');
        if (glob.startsWith("**/")) {
            return Stream.of(fileSystem.getPathMatcher("glob:" + glob), fileSystem.getPathMatcher("glob:" + glob.substring(3)));
        }
        return Stream.of(fileSystem.getPathMatcher("glob:" + glob));
    }

    private String relativeName(Path file) {
        return classesDirectory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static String stackTrace(Throwable throwable) {
        java.io.StringWriter writer = new java.io.StringWriter();
        throwable.printStackTrace(new java.io.PrintWriter(writer));
        return writer.toString();
    }
}
