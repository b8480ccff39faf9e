package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.createSubprocessShell;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.Semaphore;
import dev.coro.io.Subprocess;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs N shell commands with at most K at once, collecting each one's output and exit code:
 * every command is a coroutine that takes a {@link Semaphore} permit, starts its process and
 * {@code communicate()}s with it; {@code gather} keeps the results in the commands' order. The
 * loop thread never blocks: the processes' pipes are pumped by threads (see {@link Subprocess}).
 */
public final class ParallelCommands {
    static final int AT_ONCE = 3;

    private ParallelCommands() {
    }

    /** One command's outcome. */
    record Result(String command, int exitCode, String stdout, String stderr, double started, double finished) {
    }

    @Async
    static Coroutine<Result> run(String command, Semaphore permits, double start) {
        await(permits.acquire());
        try {
            double started = loop().time() - start;
            Subprocess process = await(createSubprocessShell(command));
            Subprocess.Output output = await(process.communicate(null));
            return done(new Result(command, process.returnCode(), output.stdoutText().trim(),
                    output.stderrText().trim(), started, loop().time() - start));
        } finally {
            permits.release();
        }
    }

    /**
     * @return the example: 8 commands, 3 at once
     */
    @Async
    public static Coroutine<Void> main() {
        List<String> commands = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            commands.add("sleep 0.2; echo job " + i + " on $(uname -s)");
        }
        commands.add("echo oops >&2; exit 2");
        double start = loop().time();
        Semaphore permits = new Semaphore(AT_ONCE);
        List<Coroutine<Result>> runs = new ArrayList<>();
        for (String command : commands) {
            runs.add(run(command, permits, start));
        }
        List<Result> results = await(gather(runs));
        for (Result r : results) {
            System.out.printf("%.1f-%.1f s  exit %d  %-10s %s%n", r.started(), r.finished(), r.exitCode(),
                    r.stdout(), r.stderr().isEmpty() ? "" : "stderr: " + r.stderr());
        }
        System.out.printf("%d commands, at most %d at once, in %.1f s%n", results.size(), AT_ONCE,
                loop().time() - start);
        return done();
    }
}
