package dev.coro.io;

import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.spi.CoroutineBody;
import dev.coro.spi.Frame;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child process started by {@code Coro.createSubprocessExec} or {@code Coro.createSubprocessShell}
 * (asyncio's {@code asyncio.subprocess.Process}): its stdin is a {@link StreamWriter}, its stdout
 * and stderr are {@link StreamReader}s, and {@link #waitFor()} / {@link #communicate(byte[])} wait
 * for it without blocking the loop. Loop-thread only (except {@link #pid()} and {@link #process()}).
 *
 * <h2>How the pipes are pumped</h2>
 * The JVM's process pipes are blocking streams, so each piped stream gets one daemon thread:
 * <ul>
 *   <li><b>stdout, stderr</b>: a pump thread reads chunks of up to {@code min(limit, 64 KiB)} and
 *   hands each to the loop with {@link EventLoop#callSoonThreadsafe}, where it is fed to the
 *   reader. Buffers are bounded: the reader pauses its transport above twice its
 *   {@linkplain SubprocessOptions#limit(int) limit} and resumes it at or below the limit, and a
 *   paused pump does not read; at most two chunks are in transit to the loop. So a child whose
 *   output no one reads costs at most about {@code 2 * limit + 3 * chunk} bytes here, and then
 *   blocks writing to its full pipe (backpressure, as over a socket).</li>
 *   <li><b>stdin</b>: {@code write} copies the bytes into a queue, never blocking; a writer thread
 *   writes them to the pipe. The queued bytes are the write buffer: above its high water mark
 *   (64 KiB) {@link StreamWriter#drain()} waits until the child has read it down to the low mark
 *   (16 KiB).</li>
 * </ul>
 * The pumps stop when the process ends: at its exit the JDK drains what is left in the stdout
 * and stderr pipes and ends them, so each pump delivers the rest and EOF, then finishes (if a
 * grandchild still holds a pipe, a pump that is blocked reading it at that moment waits until
 * the grandchild writes or closes it); the stdin thread stops
 * after what is queued. Closing a reader's transport, or the stdin writer, stops that pump too.
 * All pump threads are daemons and never keep the JVM alive.
 *
 * <h2>States</h2>
 * <pre>
 * running ── child exits ──▶ exited (returnCode() set, waitFor() returns it; pipes drain to EOF)
 * </pre>
 * Cancelling {@link #waitFor()} or {@link #communicate(byte[])} cancels only that wait: the
 * process keeps running, as in asyncio; stop it with {@link #terminate()} or {@link #kill()}.
 *
 * <h2>Differences from asyncio</h2>
 * <ul>
 *   <li>The three streams are piped by default (see {@link SubprocessOptions}).</li>
 *   <li>A child killed by signal <i>n</i> has return code {@code 128 + n} (the JVM's convention,
 *   which the JVM does not let us tell apart from {@code exit(128 + n)}), not asyncio's {@code -n}.</li>
 *   <li>Starting the process (fork/exec) and signals other than TERM and KILL (sent by running
 *   {@code kill}) take a few milliseconds on the loop thread.</li>
 *   <li>{@link #waitFor()} returns when the process has exited, whether or not its pipes are at EOF
 *   (asyncio 3.13 also waits for the pipes to close, so a grandchild holding stdout hangs it:
 *   CPython gh-119710, fixed the same way upstream).</li>
 *   <li>Run subprocesses on a real-time loop: a virtual-time loop does not wait for the pumps.</li>
 * </ul>
 */
public final class Subprocess {
    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final PipeWriteTransport stdinTransport;
    private final StreamReader stdout;
    private final PipeReadTransport stdoutTransport;
    private final StreamReader stderr;
    private final PipeReadTransport stderrTransport;
    /** null while running; set on the loop thread when the exit is seen there. */
    private Integer returnCode;
    /** Completed on the loop thread with the return code; each waitFor() awaits its own copy. */
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    private Subprocess(EventLoop loop, Process process, SubprocessOptions options) {
        this.loop = loop;
        this.process = process;
        String prefix = "coro-subprocess-" + process.pid() + "-";
        if (options.stdin() == SubprocessOptions.Redirect.PIPE) {
            stdinTransport = new PipeWriteTransport(loop, process.getOutputStream(), prefix + "stdin");
            // the protocol needs a reader for its own bookkeeping; no one reads a child's stdin
            StreamProtocol protocol = new StreamProtocol(loop, new StreamReader(), null);
            stdinTransport.start(protocol);
            stdin = new StreamWriter(stdinTransport, protocol, null);
        } else {
            stdinTransport = null;
            stdin = null;
        }
        if (options.stdout() == SubprocessOptions.Redirect.PIPE) {
            stdout = new StreamReader(options.limit());
            stdoutTransport = new PipeReadTransport(loop, process.getInputStream(), prefix + "stdout", options.limit());
            stdoutTransport.start(new StreamProtocol(loop, stdout, null));
        } else {
            stdout = null;
            stdoutTransport = null;
        }
        if (options.stderr() == SubprocessOptions.Redirect.PIPE) {
            stderr = new StreamReader(options.limit());
            stderrTransport = new PipeReadTransport(loop, process.getErrorStream(), prefix + "stderr", options.limit());
            stderrTransport.start(new StreamProtocol(loop, stderr, null));
        } else {
            stderr = null;
            stderrTransport = null;
        }
        process.onExit().whenComplete((p, e) -> {
            try {
                loop.callSoonThreadsafe(this::processExited);
            } catch (IllegalStateException loopClosed) {
                // no one is left to tell
            }
        });
    }

    // ---------------------------------------------------------------- starting

    /**
     * Starts {@code command} (asyncio's {@code create_subprocess_exec}) when the coroutine is first
     * awaited, on the running loop.
     *
     * @param command the program and its arguments
     * @param options redirects, working directory, environment, limit
     * @return the coroutine of the process; it throws {@link IOException} if the program cannot be
     *     started (not found, not executable)
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static Coroutine<Subprocess> exec(List<String> command, SubprocessOptions options) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("createSubprocessExec needs a program to run: the command is empty");
        }
        List<String> copy = List.copyOf(command);
        return new Frame<>(frame -> start(copy, options), 0, 0);
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c} (asyncio's {@code create_subprocess_shell}).
     * The shell interprets the whole string: quote what comes from outside.
     *
     * @param command the shell command line
     * @param options redirects, working directory, environment, limit
     * @return the coroutine of the process
     */
    public static Coroutine<Subprocess> shell(String command, SubprocessOptions options) {
        return exec(List.of("/bin/sh", "-c", command), options);
    }

    private static Subprocess start(List<String> command, SubprocessOptions options) throws IOException {
        EventLoop loop = Coro.loop();
        ProcessBuilder builder = new ProcessBuilder(command);
        if (options.cwd() != null) {
            builder.directory(options.cwd().toFile());
        }
        if (options.env() != null) {
            builder.environment().clear();
            builder.environment().putAll(options.env());
        }
        switch (options.stdin()) {
            case INHERIT:
                builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
                break;
            case DISCARD:
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                break;
            default:
                builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        }
        builder.redirectOutput(output(options.stdout()));
        if (options.stderr() == SubprocessOptions.Redirect.STDOUT) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(output(options.stderr()));
        }
        return new Subprocess(loop, builder.start(), options);
    }

    private static ProcessBuilder.Redirect output(SubprocessOptions.Redirect redirect) {
        switch (redirect) {
            case INHERIT:
                return ProcessBuilder.Redirect.INHERIT;
            case DISCARD:
                return ProcessBuilder.Redirect.DISCARD;
            default:
                return ProcessBuilder.Redirect.PIPE;
        }
    }

    private void processExited() {
        assert loop.inLoop();
        if (returnCode != null) {
            return;
        }
        returnCode = process.exitValue();
        if (stdinTransport != null) {
            stdinTransport.processExited();
        }
        exited.complete(returnCode);
    }

    // ---------------------------------------------------------------- the streams

    /**
     * @return the writer to the child's stdin, or null unless stdin is {@code PIPE}; close it to
     *     send EOF
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * @return the reader of the child's stdout, or null unless stdout is {@code PIPE}
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * @return the reader of the child's stderr, or null unless stderr is {@code PIPE}
     */
    public StreamReader stderr() {
        return stderr;
    }

    // ---------------------------------------------------------------- the process

    /**
     * @return the child's process id
     */
    public long pid() {
        return process.pid();
    }

    /**
     * @return the JVM's process object (for {@code info()}, {@code children()}, ...)
     */
    public Process process() {
        return process;
    }

    /**
     * @return the exit code once the loop has seen the child exit, else null (asyncio's
     *     {@code returncode}); {@code 128 + n} after signal {@code n}
     */
    public Integer returnCode() {
        return returnCode;
    }

    /**
     * Waits for the child to exit (asyncio's {@code wait()}) and returns its exit code. Cancelling
     * the wait leaves the process running. With stdout or stderr piped, read them while waiting,
     * or the child may block writing to a full pipe and never exit ({@link #communicate(byte[])}
     * does both).
     *
     * @return the coroutine of the exit code
     */
    public Coroutine<Integer> waitFor() {
        return new Frame<>(frame -> {
            if (frame.state == 0) {
                if (returnCode != null) {
                    return returnCode;
                }
                // a copy: cancelling this wait must not complete or cancel the shared future
                Object r = Frame.awaitStage(exited.copy(), frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 1;
                }
                return r;
            }
            return frame.resumeValue();
        }, 0, 0);
    }

    /**
     * Sends {@code input} to stdin and closes it, reads stdout and stderr to EOF, and waits for
     * the child to exit (asyncio's {@code communicate}). A broken stdin pipe (the child exited or
     * closed its stdin early) is ignored, as in asyncio. Cancelling it leaves the process running.
     *
     * @param input the bytes for stdin, or null to send nothing (stdin is still closed)
     * @return the coroutine of the output: fields null for streams that are not piped
     * @throws IllegalStateException (from the coroutine) if input is given but stdin is not piped
     */
    public Coroutine<Output> communicate(byte[] input) {
        return new Frame<>(new Communicate(input), 0, 0);
    }

    /**
     * Like {@link #communicate(byte[])} with no input.
     *
     * @return the coroutine of the output
     */
    public Coroutine<Output> communicate() {
        return communicate(null);
    }

    /** What {@link #communicate(byte[])} collected. */
    public static final class Output {
        private final byte[] stdout;
        private final byte[] stderr;

        Output(byte[] stdout, byte[] stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /**
         * @return everything the child wrote to stdout, or null if stdout was not piped
         */
        public byte[] stdout() {
            return stdout;
        }

        /**
         * @return everything the child wrote to stderr, or null if stderr was not piped
         */
        public byte[] stderr() {
            return stderr;
        }

        /**
         * @return stdout decoded as UTF-8, or null
         */
        public String stdoutText() {
            return stdout == null ? null : new String(stdout, StandardCharsets.UTF_8);
        }

        /**
         * @return stderr decoded as UTF-8, or null
         */
        public String stderrText() {
            return stderr == null ? null : new String(stderr, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Output[stdout=" + (stdout == null ? "null" : stdout.length + " bytes")
                    + ", stderr=" + (stderr == null ? "null" : stderr.length + " bytes") + "]";
        }
    }

    /**
     * <pre>
     * state 0: gather(feed stdin, read stdout, read stderr) (state 1)
     * state 1: keep the output; waitFor() (state 2)
     * state 2: return the output
     * </pre>
     */
    private final class Communicate implements CoroutineBody {
        private final byte[] input;
        private byte[] out;
        private byte[] err;

        Communicate(byte[] input) {
            this.input = input;
        }

        @Override
        public Object resume(Frame<?> frame) throws Throwable {
            Object r;
            switch (frame.state) {
                case 0: {
                    if (input != null && input.length > 0 && stdin == null) {
                        throw new IllegalStateException("communicate(input) on a process whose stdin is not piped:"
                                + " start it with SubprocessOptions.stdin(Redirect.PIPE)");
                    }
                    List<Coroutine<?>> parts = new ArrayList<>(3);
                    parts.add(stdin == null ? null : feedStdin(input));
                    parts.add(stdout == null ? null : readAll(stdout, stdoutTransport));
                    parts.add(stderr == null ? null : readAll(stderr, stderrTransport));
                    List<Coroutine<?>> present = new ArrayList<>(3);
                    for (Coroutine<?> p : parts) {
                        if (p != null) {
                            present.add(p);
                        }
                    }
                    if (!present.isEmpty()) {
                        r = Frame.await(Coro.gather(present.toArray(new Coroutine<?>[0])), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 1;
                            return r;
                        }
                        keep(r);
                    }
                    return waitThenReturn(frame);
                }
                case 1:
                    keep(frame.resumeValue());
                    return waitThenReturn(frame);
                case 2:
                    frame.resumeValue();
                    return new Output(out, err);
                default:
                    throw new IllegalStateException("bad state " + frame.state);
            }
        }

        /** Takes the readers' results from gather's list, which holds only the present parts. */
        private void keep(Object results) {
            List<?> list = (List<?>) results;
            int i = stdin == null ? 0 : 1;
            if (stdout != null) {
                out = (byte[]) list.get(i++);
            }
            if (stderr != null) {
                err = (byte[]) list.get(i);
            }
        }

        private Object waitThenReturn(Frame<?> frame) throws Throwable {
            Object r = Frame.await(waitFor(), frame);
            if (r == Frame.SUSPENDED) {
                frame.state = 2;
                return r;
            }
            return new Output(out, err);
        }

        @Override
        public String toString() {
            return "Subprocess.communicate";
        }
    }

    /** asyncio's {@code _feed_stdin}: write, drain (a broken pipe is ignored), close. */
    private Coroutine<Void> feedStdin(byte[] input) {
        return new Frame<>(frame -> {
            if (frame.state == 0) {
                if (input != null && input.length > 0) {
                    try {
                        stdin.write(input);
                        Object r = Frame.await(stdin.drain(), frame);
                        if (r == Frame.SUSPENDED) {
                            frame.state = 1;
                            return r;
                        }
                    } catch (IOException brokenPipe) {
                        // communicate() ignores a child that does not read its input
                    }
                }
            } else {
                try {
                    frame.resumeValue();
                } catch (IOException brokenPipe) {
                    // as above
                }
            }
            stdin.close();
            return null;
        }, 0, 0);
    }

    /** asyncio's {@code _read_stream}: read to EOF, then close the pipe. */
    private static Coroutine<byte[]> readAll(StreamReader reader, PipeReadTransport transport) {
        return new Frame<>(frame -> {
            Object r;
            if (frame.state == 0) {
                r = Frame.await(reader.read(), frame);
                if (r == Frame.SUSPENDED) {
                    frame.state = 1;
                    return r;
                }
            } else {
                r = frame.resumeValue();
            }
            transport.close();
            return r;
        }, 0, 0);
    }

    // ---------------------------------------------------------------- signals

    /**
     * Sends a signal by number (asyncio's {@code send_signal}); nothing once the child has exited.
     * 15 (TERM) and 9 (KILL) go through the JVM; others are sent by running {@code kill}.
     *
     * @param signal the signal number, such as 2 (INT) or 1 (HUP)
     * @throws IllegalArgumentException if {@code kill} refuses the signal
     */
    public void sendSignal(int signal) {
        if (signal == 15) {
            terminate();
        } else if (signal == 9) {
            kill();
        } else {
            runKill("-" + signal);
        }
    }

    /**
     * Sends a signal by name: {@code "INT"} or {@code "SIGINT"}, any case; nothing once the child
     * has exited.
     *
     * @param name the signal's name
     * @throws IllegalArgumentException if {@code kill} does not know the name
     */
    public void sendSignal(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        if (n.equals("TERM")) {
            terminate();
        } else if (n.equals("KILL")) {
            kill();
        } else if (!n.matches("[A-Z0-9+-]+")) {
            throw new IllegalArgumentException("Not a signal name: \"" + name + "\" (try \"INT\", \"HUP\", \"USR1\")");
        } else {
            runKill("-" + n);
        }
    }

    /** Sends SIGTERM (asyncio's {@code terminate}); nothing once the child has exited. */
    public void terminate() {
        if (returnCode == null) {
            process.destroy();
        }
    }

    /** Sends SIGKILL (asyncio's {@code kill}); nothing once the child has exited. */
    public void kill() {
        if (returnCode == null) {
            process.destroyForcibly();
        }
    }

    private void runKill(String signal) {
        if (returnCode != null || !process.isAlive()) {
            return;
        }
        try {
            Process k = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            byte[] said = k.getInputStream().readAllBytes();
            if (!k.waitFor(5, TimeUnit.SECONDS)) {
                k.destroyForcibly();
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " did not finish in 5 s");
            }
            if (k.exitValue() != 0 && process.isAlive()) {
                throw new IllegalArgumentException("kill " + signal + " " + process.pid() + " failed: "
                        + new String(said, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot send signal " + signal + ": running kill failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending signal " + signal, e);
        }
    }

    @Override
    public String toString() {
        return "Subprocess[pid=" + process.pid() + (returnCode == null ? " running" : " returncode=" + returnCode) + "]";
    }
}
