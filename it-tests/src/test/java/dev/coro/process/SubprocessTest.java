package dev.coro.process;

import static dev.coro.Coro.await;
import static dev.coro.Coro.createSubprocessExec;
import static dev.coro.Coro.createSubprocessShell;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.TimeoutException;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import dev.coro.io.Subprocess;
import dev.coro.io.SubprocessOptions;
import dev.coro.io.SubprocessOptions.Redirect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real child processes on a real-time loop; every wait is bounded. */
@Timeout(30)
class SubprocessTest {
    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- cat

    @Async
    static Coroutine<String> catRoundTrip() {
        Subprocess cat = await(createSubprocessExec("cat"));
        StreamWriter in = cat.stdin();
        StreamReader out = cat.stdout();
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            in.write(bytes("line " + i + "\n"));
            await(in.drain());
            got.append(text(await(out.readLine())));
        }
        in.write(bytes("no newline"));
        assertNull(cat.returnCode());
        in.close(); // EOF on cat's stdin: cat writes the rest and exits
        got.append(text(await(out.read())));
        assertTrue(out.atEof());
        assertArrayEquals(new byte[0], await(out.read()));
        int code = await(cat.waitFor());
        got.append(" exit=").append(code).append(" rc=").append(cat.returnCode());
        return done(got.toString());
    }

    @Test
    void testCat_roundTripThenEofOnClose() {
        assertEquals("line 0\nline 1\nline 2\nno newline exit=0 rc=0", Coro.run(catRoundTrip()));
    }

    @Async
    static Coroutine<String> catBigInput() {
        // 4 MiB through cat and back: stdin drain and the stdout pump's flow control together
        byte[] data = new byte[4 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + (i >> 12));
        }
        Subprocess cat = await(createSubprocessExec("cat"));
        Subprocess.Output out = await(cat.communicate(data));
        assertArrayEquals(data, out.stdout());
        assertEquals(0, out.stderr().length);
        return done("ok " + cat.returnCode());
    }

    @Test
    void testCommunicate_fourMebibytesThroughCat() {
        assertEquals("ok 0", Coro.run(catBigInput()));
    }

    // ---------------------------------------------------------------- sh -c

    @Async
    static Coroutine<String> shell() {
        Subprocess p = await(createSubprocessShell("echo out; echo err >&2; exit 3"));
        Subprocess.Output out = await(p.communicate(null));
        String first = out.stdoutText() + "|" + out.stderrText() + "|" + p.returnCode();
        Subprocess ok = await(createSubprocessExec("sh", "-c", "exit 0"));
        int zero = await(ok.waitFor());
        Subprocess merged = await(createSubprocessShell("echo a; echo b >&2; echo c",
                SubprocessOptions.defaults().stderr(Redirect.STDOUT)));
        assertNull(merged.stderr());
        Subprocess.Output m = await(merged.communicate());
        assertNull(m.stderr());
        return done(first + "|" + zero + "|" + m.stdoutText().replace("\n", ","));
    }

    @Test
    void testShell_exitCodesAndStderr() {
        assertEquals("out\n|err\n|3|0|a,b,c,", Coro.run(shell()));
    }

    @Async
    static Coroutine<String> options(Path dir) {
        Subprocess p = await(createSubprocessShell("pwd; echo \"$GREETING\"; cat",
                SubprocessOptions.defaults().cwd(dir).env(Map.of("GREETING", "hi", "PATH", "/usr/bin:/bin"))
                        .stdin(Redirect.DISCARD).stderr(Redirect.DISCARD)));
        assertNull(p.stdin());
        assertNull(p.stderr());
        Subprocess.Output out = await(p.communicate());
        return done(out.stdoutText() + p.returnCode());
    }

    @Test
    void testOptions_cwdEnvAndRedirects() throws IOException {
        Path dir = Files.createTempDirectory("coro-proc").toRealPath();
        try {
            assertEquals(dir + "\nhi\n0", Coro.run(options(dir)));
        } finally {
            Files.delete(dir);
        }
    }

    @Async
    static Coroutine<String> notFound() {
        try {
            await(createSubprocessExec("/nonexistent/program"), IOException.class);
            return done("started?");
        } catch (IOException e) {
            return done("IOException");
        }
    }

    @Test
    void testExec_missingProgramThrowsIOException() {
        assertEquals("IOException", Coro.run(notFound()));
    }

    @Async
    static Coroutine<String> brokenStdin() {
        // the child exits without reading: communicate ignores the broken pipe, as asyncio does
        Subprocess p = await(createSubprocessShell("echo bye; exit 4"));
        Subprocess.Output out = await(p.communicate(new byte[1 << 20]));
        return done(out.stdoutText() + p.returnCode());
    }

    @Test
    void testCommunicate_childThatDoesNotReadItsInput() {
        assertEquals("bye\n4", Coro.run(brokenStdin()));
    }

    static long pumps(long pid) {
        String prefix = "coro-subprocess-" + pid + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Async
    static Coroutine<String> pumpsEnd() {
        Subprocess p = await(createSubprocessExec("sh", "-c", "read line; echo \"$line\"; echo e >&2"));
        long running = pumps(p.pid());
        p.stdin().write(bytes("hello\n")); // stdin left open: the thread must stop at the exit anyway
        int code = await(p.waitFor());
        byte[] out = await(p.stdout().read());
        byte[] err = await(p.stderr().read());
        long left = pumps(p.pid());
        for (int i = 0; i < 100 && left > 0; i++) {
            await(sleep(Duration.ofMillis(20)));
            left = pumps(p.pid());
        }
        return done(running + " " + text(out) + text(err) + code + " " + left);
    }

    @Test
    void testPumps_stopWhenTheProcessEnds() {
        assertEquals("3 hello\ne\n0 0", Coro.run(pumpsEnd()));
    }

    @Async
    static Coroutine<String> echoOne(int i) {
        Subprocess p = await(createSubprocessExec("echo", "n" + i));
        Subprocess.Output out = await(p.communicate());
        return done(out.stdoutText().trim() + ":" + p.returnCode());
    }

    @Async
    static Coroutine<String> manyAtOnce() {
        java.util.List<Coroutine<String>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(echoOne(i));
        }
        java.util.List<String> got = await(Coro.gather(all));
        StringBuilder wrong = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            if (!got.get(i).equals("n" + i + ":0")) {
                wrong.append(i).append('=').append(got.get(i)).append(' ');
            }
        }
        return done(wrong.length() == 0 ? "all 40" : wrong.toString());
    }

    @Test
    void testManyProcesses_atOnce() {
        assertEquals("all 40", Coro.run(manyAtOnce()));
    }

    @Async
    static Coroutine<String> grandchildHoldsStdout() {
        // sh exits at once; its background sleep keeps the stdout pipe open for 2 s
        Subprocess p = await(createSubprocessShell("sleep 2 & echo parent"));
        String line = text(await(p.stdout().readLine()));
        int code = await(Coro.waitFor(p.waitFor(), Duration.ofSeconds(1)));
        // whether stdout is at EOF yet depends on a race in the JDK (see Subprocess): not asserted
        return done(line + code);
    }

    @Test
    void testWaitFor_returnsAtExitThoughAGrandchildHoldsThePipe() {
        assertEquals("parent\n0", Coro.run(grandchildHoldsStdout()));
    }

    // ---------------------------------------------------------------- flooding, unread

    static final int LIMIT = 16 * 1024;
    /** The reader pauses above 2 * limit; chunks of min(limit, 64 KiB) may still be in transit. */
    static final int BOUND = 2 * LIMIT + 3 * LIMIT;

    @Async
    static Coroutine<String> flood() {
        Subprocess p = await(createSubprocessExec(SubprocessOptions.defaults().limit(LIMIT), "cat", "/dev/zero"));
        StreamReader out = p.stdout();
        int max = 0;
        int last = -1;
        int stable = 0;
        for (int i = 0; i < 40; i++) {
            await(sleep(Duration.ofMillis(25)));
            int b = out.buffered();
            max = Math.max(max, b);
            assertTrue(b <= BOUND, "buffered " + b + " > " + BOUND + " while no one reads");
            stable = b == last ? stable + 1 : 0;
            last = b;
        }
        assertTrue(max > LIMIT, "the pump delivered only " + max + " bytes");
        assertTrue(stable >= 10, "the buffer kept changing: the pump did not stop");
        assertTrue(p.process().isAlive(), "cat exited");
        assertNull(p.returnCode());
        // reading lets it flow again: 8 MiB, far beyond the bound
        long total = 0;
        while (total < 8 << 20) {
            byte[] chunk = await(out.read(1 << 16));
            total += chunk.length;
            assertTrue(out.buffered() <= BOUND);
        }
        p.kill();
        int code = await(p.waitFor());
        return done("max<=bound read=" + (total >= 8 << 20) + " code=" + code);
    }

    @Test
    void testFlood_unreadStdoutStaysBounded() {
        assertEquals("max<=bound read=true code=137", Coro.run(flood()));
    }

    @Async
    static Coroutine<String> stdinBackpressure() {
        // the child reads nothing for a while: writes pile up in the write buffer; drain() waits
        Subprocess p = await(createSubprocessShell("sleep 0.3; exec cat > /dev/null"));
        StreamWriter in = p.stdin();
        in.write(new byte[300 * 1024]);
        int before = in.transport().getWriteBufferSize();
        long start = System.nanoTime();
        await(in.drain());
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        int after = in.transport().getWriteBufferSize();
        in.close();
        int code = await(p.waitFor());
        assertTrue(waitedMs >= 100, "drain did not wait: " + waitedMs + " ms");
        return done(before + " " + (after <= 16 * 1024) + " " + code);
    }

    @Test
    void testStdin_drainWaitsAboveHighWaterMark() {
        assertEquals(300 * 1024 + " true 0", Coro.run(stdinBackpressure()));
    }

    // ---------------------------------------------------------------- kill, cancel

    @Async
    static Coroutine<String> killedDuringCommunicate() {
        Subprocess p = await(createSubprocessShell("echo started; exec sleep 30"));
        Task<Subprocess.Output> talking = spawn(p.communicate(null));
        await(sleep(Duration.ofMillis(200)));
        assertFalse(talking.isDone());
        p.kill();
        Subprocess.Output out = await(talking);
        return done(out.stdoutText() + p.returnCode());
    }

    @Test
    void testKill_inTheMiddleOfCommunicate() {
        assertEquals("started\n137", Coro.run(killedDuringCommunicate()));
    }

    @Async
    static Coroutine<String> cancelWaitFor() {
        Subprocess p = await(createSubprocessExec("sleep", "30"));
        String timedOut;
        try {
            await(Coro.waitFor(p.waitFor(), Duration.ofMillis(100)));
            timedOut = "no";
        } catch (TimeoutException e) {
            timedOut = "timeout";
        }
        await(sleep(Duration.ofMillis(50)));
        boolean alive = p.process().isAlive() && p.returnCode() == null;
        Task<Integer> waiting = spawn(p.waitFor());
        await(sleep(Duration.ofMillis(20)));
        waiting.cancel();
        try {
            await(waiting);
        } catch (CancelledError e) {
            timedOut += " cancelled";
        }
        alive &= p.process().isAlive();
        p.terminate();
        int code = await(p.waitFor());
        return done(timedOut + " alive=" + alive + " code=" + code);
    }

    @Test
    void testCancelWaitFor_processKeepsRunning() {
        assertEquals("timeout cancelled alive=true code=143", Coro.run(cancelWaitFor()));
    }

    @Async
    static Coroutine<String> cancelCommunicate() {
        Subprocess p = await(createSubprocessShell("echo early; sleep 0.5; echo late"));
        String timedOut;
        try {
            await(Coro.waitFor(p.communicate(), Duration.ofMillis(200)));
            timedOut = "no";
        } catch (TimeoutException e) {
            timedOut = "timeout";
        }
        // the process went on ("late" comes after the cancel), and the cancelled read() to EOF
        // consumed nothing: the next read gets "early" too
        byte[] rest = await(p.stdout().read());
        int code = await(p.waitFor());
        return done(timedOut + " " + text(rest).replace("\n", ",") + " " + code);
    }

    @Test
    void testCancelCommunicate_bytesStayForTheNextRead() {
        assertEquals("timeout early,late, 0", Coro.run(cancelCommunicate()));
    }

    @Async
    static Coroutine<String> cancelCommunicateLongRunning() {
        Subprocess p = await(createSubprocessExec("sleep", "30"));
        Task<Subprocess.Output> talking = spawn(p.communicate());
        await(sleep(Duration.ofMillis(100)));
        talking.cancel();
        String r;
        try {
            await(talking);
            r = "finished?";
        } catch (CancelledError e) {
            r = "cancelled";
        }
        await(sleep(Duration.ofMillis(100)));
        boolean alive = p.process().isAlive() && p.returnCode() == null;
        p.kill();
        int code = await(p.waitFor());
        return done(r + " alive=" + alive + " code=" + code);
    }

    @Test
    void testCancelCommunicate_processKeepsRunning() {
        assertEquals("cancelled alive=true code=137", Coro.run(cancelCommunicateLongRunning()));
    }

    // ---------------------------------------------------------------- signals

    @Async
    static Coroutine<String> signal() {
        Subprocess p = await(createSubprocessShell(
                "trap 'echo got USR1; exit 7' USR1; echo ready; while :; do sleep 0.02; done"));
        String ready = text(await(p.stdout().readLine()));
        p.sendSignal("SIGUSR1");
        Subprocess.Output out = await(p.communicate());
        p.sendSignal(2); // exited: nothing happens
        return done(ready + out.stdoutText() + p.returnCode());
    }

    @Test
    void testSendSignal_byName() {
        assertEquals("ready\ngot USR1\n7", Coro.run(signal()));
    }

    @Test
    void testSendSignal_unknownNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Coro.run(badSignal()));
    }

    @Async
    static Coroutine<Void> badSignal() {
        Subprocess p = await(createSubprocessExec("sleep", "30"));
        try {
            p.sendSignal("NOSUCHSIGNAL");
        } finally {
            p.kill();
            await(p.waitFor());
        }
        return done();
    }
}
