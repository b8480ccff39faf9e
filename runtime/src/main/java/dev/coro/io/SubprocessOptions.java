package dev.coro.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of {@code Coro.createSubprocessExec} and {@code Coro.createSubprocessShell}: where the
 * child's standard streams go, its working directory and environment, and the readers' limit.
 * Immutable; start from {@link #defaults()}:
 * <pre>{@code
 * SubprocessOptions.defaults().stdin(Redirect.DISCARD).stderr(Redirect.STDOUT).cwd(Path.of("/tmp"))
 * }</pre>
 *
 * <p>Deliberate difference: asyncio inherits the three streams unless told {@code PIPE}; Coro
 * pipes all three by default, so {@link Subprocess#stdin()}, {@link Subprocess#stdout()} and
 * {@link Subprocess#stderr()} are there unless redirected. A piped stream that no one reads fills
 * up (see {@link Subprocess}) and the child then blocks writing to it: read it, use
 * {@link Subprocess#communicate(byte[])}, or redirect it to {@link Redirect#DISCARD} or
 * {@link Redirect#INHERIT}.
 */
public final class SubprocessOptions {
    /** Where one of the child's standard streams goes. */
    public enum Redirect {
        /** A pipe to this process: a {@link StreamWriter} for stdin, a {@link StreamReader} for the others. */
        PIPE,
        /** The JVM's own stream (asyncio's {@code None}). */
        INHERIT,
        /** {@code /dev/null} (asyncio's {@code DEVNULL}). */
        DISCARD,
        /** stderr only: into the same pipe or file as stdout (asyncio's {@code STDOUT}). */
        STDOUT
    }

    private static final SubprocessOptions DEFAULTS = new SubprocessOptions(
            Redirect.PIPE, Redirect.PIPE, Redirect.PIPE, null, null, StreamReader.DEFAULT_LIMIT);

    private final Redirect stdin;
    private final Redirect stdout;
    private final Redirect stderr;
    private final Path cwd;
    private final Map<String, String> env;
    private final int limit;

    private SubprocessOptions(Redirect stdin, Redirect stdout, Redirect stderr, Path cwd,
            Map<String, String> env, int limit) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.cwd = cwd;
        this.env = env;
        this.limit = limit;
    }

    /**
     * @return all three streams piped, the JVM's working directory and environment, limit 64 KiB
     */
    public static SubprocessOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param redirect {@code PIPE}, {@code INHERIT} or {@code DISCARD}
     * @return new options
     * @throws IllegalArgumentException for {@code STDOUT}
     */
    public SubprocessOptions stdin(Redirect redirect) {
        if (redirect == Redirect.STDOUT) {
            throw new IllegalArgumentException("stdin cannot be Redirect.STDOUT: use PIPE, INHERIT or DISCARD");
        }
        return new SubprocessOptions(check(redirect), stdout, stderr, cwd, env, limit);
    }

    /**
     * @param redirect {@code PIPE}, {@code INHERIT} or {@code DISCARD}
     * @return new options
     * @throws IllegalArgumentException for {@code STDOUT}
     */
    public SubprocessOptions stdout(Redirect redirect) {
        if (redirect == Redirect.STDOUT) {
            throw new IllegalArgumentException("stdout cannot be Redirect.STDOUT: use PIPE, INHERIT or DISCARD");
        }
        return new SubprocessOptions(stdin, check(redirect), stderr, cwd, env, limit);
    }

    /**
     * @param redirect {@code PIPE}, {@code INHERIT}, {@code DISCARD} or {@code STDOUT} (merged
     *     into stdout: {@link Subprocess#stderr()} is then null)
     * @return new options
     */
    public SubprocessOptions stderr(Redirect redirect) {
        return new SubprocessOptions(stdin, stdout, check(redirect), cwd, env, limit);
    }

    /**
     * @param directory the child's working directory, or null for the JVM's
     * @return new options
     */
    public SubprocessOptions cwd(Path directory) {
        return new SubprocessOptions(stdin, stdout, stderr, directory, env, limit);
    }

    /**
     * Replaces the child's whole environment (asyncio's {@code env=}); to add to the JVM's, pass
     * a copy of {@link System#getenv()} with the additions.
     *
     * @param environment the variables (copied), or null for the JVM's environment
     * @return new options
     */
    public SubprocessOptions env(Map<String, String> environment) {
        Map<String, String> copy = environment == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        return new SubprocessOptions(stdin, stdout, stderr, cwd, copy, limit);
    }

    /**
     * @param bytes the limit of the stdout and stderr readers (see {@link StreamReader#StreamReader(int)});
     *     it also bounds how much each pump buffers
     * @return new options
     * @throws IllegalArgumentException if not positive
     */
    public SubprocessOptions limit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + bytes);
        }
        return new SubprocessOptions(stdin, stdout, stderr, cwd, env, bytes);
    }

    private static Redirect check(Redirect redirect) {
        if (redirect == null) {
            throw new NullPointerException("redirect is null: use Redirect.PIPE, INHERIT, DISCARD or STDOUT");
        }
        return redirect;
    }

    /**
     * @return where stdin comes from
     */
    public Redirect stdin() {
        return stdin;
    }

    /**
     * @return where stdout goes
     */
    public Redirect stdout() {
        return stdout;
    }

    /**
     * @return where stderr goes
     */
    public Redirect stderr() {
        return stderr;
    }

    /**
     * @return the working directory, or null for the JVM's
     */
    public Path cwd() {
        return cwd;
    }

    /**
     * @return the environment (unmodifiable), or null for the JVM's
     */
    public Map<String, String> env() {
        return env;
    }

    /**
     * @return the readers' limit
     */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "SubprocessOptions[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr
                + (cwd == null ? "" : ", cwd=" + cwd) + (env == null ? "" : ", env=" + env.size() + " variables")
                + ", limit=" + limit + "]";
    }
}
