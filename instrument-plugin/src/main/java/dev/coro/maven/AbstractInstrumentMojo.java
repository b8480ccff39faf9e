package dev.coro.maven;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What both goals share: the parameters, the skip logic, running the {@link Instrumenter} and
 * turning its outcome into log lines or a build failure.
 */
abstract class AbstractInstrumentMojo extends AbstractMojo {

    /** The project being built. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /**
     * Skip rewriting. The classes stay as javac wrote them, so the first {@code await()} in them
     * throws an {@code IllegalStateException} at run time (unless the Coro agent rewrites them
     * when they are loaded).
     */
    @Parameter(property = "coro.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Glob patterns, relative to the classes folder, of the class files to look at, e.g.
     * {@code com/acme/**}. Empty (the default) means every class file. On the command line:
     * {@code -Dcoro.includes=com/acme/**,org/example/**}.
     */
    @Parameter(property = "coro.includes")
    protected List<String> includes = new ArrayList<>();

    /**
     * Glob patterns, relative to the classes folder, of class files to leave alone, e.g.
     * {@code **}{@code /generated/**}. Applied after {@link #includes}. On the command line:
     * {@code -Dcoro.excludes=...}, comma-separated.
     */
    @Parameter(property = "coro.excludes")
    protected List<String> excludes = new ArrayList<>();

    /**
     * Fail the build when the rewriter refuses a site (an {@code await} outside an {@code @Async}
     * method, an {@code @Async} constructor, ...) or finds a class file it cannot read (a
     * truncated or corrupt file of a stale or broken build). When false they are logged as errors,
     * those classes are left as compiled and the build goes on; their {@code await}s then throw
     * at run time.
     */
    @Parameter(property = "coro.failOnError", defaultValue = "true")
    protected boolean failOnError;

    /**
     * What to do with a coroutine that is never awaited: a call, in any method of the classes
     * looked at, whose {@code dev.coro.Coroutine} result is thrown away ({@code fetch(url);} as a
     * statement), so the coroutine never runs. {@code warn} (the default) logs
     * {@code File.java:line: the coroutine returned by Client.fetch(...) is never awaited: ...};
     * {@code error} makes it a build error like a refused site (the class is left as compiled);
     * {@code ignore} does not look. {@code Coro.done(...)}, {@code Task} and {@code Promise}
     * results are never reported. On the command line: {@code -Dcoro.neverAwaited=error}.
     */
    @Parameter(property = "coro.neverAwaited", defaultValue = "warn")
    protected String neverAwaited = "warn";

    /** Log every rewritten class at info level (otherwise only with {@code -X}). */
    @Parameter(property = "coro.verbose", defaultValue = "false")
    protected boolean verbose;

    /** @return the goal's name, for log lines */
    abstract String goal();

    /** @return the folder to rewrite */
    abstract File classesDirectory();

    /**
     * @return the classpath of those classes
     * @throws MojoExecutionException if Maven cannot give it
     */
    abstract List<String> classpathElements() throws MojoExecutionException;

    /** @return the source folders of those classes */
    abstract List<String> sourceRoots();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Coro " + goal() + " skipped (coro.skip is true): classes left as compiled; "
                    + "an await() in them will throw at run time unless the Coro agent rewrites them");
            return;
        }
        Path classes = classesDirectory().toPath();
        if (!Files.isDirectory(classes)) {
            getLog().info("Coro " + goal() + " skipped: no classes folder " + classes + " (nothing was compiled)");
            return;
        }
        List<Path> classpath = new ArrayList<>();
        for (String element : classpathElements()) {
            classpath.add(Path.of(element));
        }
        List<Path> roots = new ArrayList<>();
        for (String root : sourceRoots()) {
            roots.add(Path.of(root));
        }
        Instrumenter.NeverAwaited neverAwaitedMode;
        try {
            neverAwaitedMode = Instrumenter.NeverAwaited.parse(neverAwaited);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        Path stateFile = Path.of(project.getBuild().getDirectory(), "coro", goal() + ".state");
        Instrumenter instrumenter = new Instrumenter(classes, classpath, patterns(includes), patterns(excludes), stateFile, roots,
                new Reporter() {
                    @Override
                    public void info(String message) {
                        getLog().info(message);
                    }

                    @Override
                    public void detail(String message) {
                        if (verbose) {
                            getLog().info(message);
                        } else {
                            getLog().debug(message);
                        }
                    }

                    @Override
                    public void warn(String message) {
                        getLog().warn(message);
                    }
                }).neverAwaited(neverAwaitedMode);
        Instrumenter.Summary summary;
        try {
            summary = instrumenter.run();
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        getLog().info(summary.line());
        for (String warning : summary.warnings()) {
            getLog().warn(warning);
        }
        if (summary.errors().isEmpty() && summary.unreadable().isEmpty()) {
            return;
        }
        for (String error : summary.errors()) {
            getLog().error(error);
        }
        for (String file : summary.unreadable()) {
            getLog().error(file);
        }
        String message = failureMessage(summary.errors(), summary.unreadable());
        if (failOnError) {
            throw new MojoFailureException(message);
        }
        getLog().warn("failOnError is false: the classes above were left as compiled; "
                + "their await() calls will throw at run time");
    }

    /** The configured patterns without blanks; Maven leaves a list unset ({@code null}) when given nothing. */
    private static List<String> patterns(List<String> configured) {
        List<String> patterns = new ArrayList<>();
        if (configured != null) {
            for (String pattern : configured) {
                if (pattern != null && !pattern.isBlank()) {
                    patterns.add(pattern.trim());
                }
            }
        }
        return patterns;
    }

    /**
     * The build failure's message: the refused sites, then the class files that could not be read
     * (counted apart: they are a broken build, not sites of the user's code).
     */
    static String failureMessage(List<String> errors, List<String> unreadable) {
        StringBuilder message = new StringBuilder();
        if (!errors.isEmpty()) {
            message.append("Coro could not rewrite ").append(errors.size())
                    .append(errors.size() == 1 ? " site" : " sites").append(':');
            for (String error : errors) {
                message.append(System.lineSeparator()).append(error);
            }
        }
        if (!unreadable.isEmpty()) {
            if (message.length() > 0) {
                message.append(System.lineSeparator());
            }
            message.append("Coro could not read ").append(unreadable.size())
                    .append(unreadable.size() == 1 ? " class file" : " class files").append(':');
            for (String file : unreadable) {
                message.append(System.lineSeparator()).append(file);
            }
        }
        return message.toString();
    }
}
