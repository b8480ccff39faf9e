package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coro.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Base of the hand-ported asyncio conformance scenarios: collects what the port prints, counts
 * loop iterations like the scenarios' {@code ticker} callback, and compares the output byte for
 * byte with the trace CPython 3.13.0 printed.
 */
abstract class ScenarioBase {
    private final StringBuilder out = new StringBuilder();
    /** The scenarios' {@code tick}: incremented once per loop iteration by {@link #startTicker}. */
    int tick;
    /** The scenarios' {@code stop}: ends the ticker. */
    boolean stop;

    private static final int MAX_TICKS = 100_000;

    /** Python's {@code print(line)}. @param line the line */
    void print(String line) {
        out.append(line).append('\n');
    }

    /**
     * {@code loop.call_soon(ticker, loop)}: a callback that re-arms itself with {@code call_soon}
     * runs exactly once per loop iteration.
     *
     * @param loop the running loop
     */
    void startTicker(EventLoop loop) {
        loop.callSoon(() -> ticker(loop));
    }

    private void ticker(EventLoop loop) {
        tick++;
        // A scenario needs a few dozen iterations; past MAX_TICKS it is stuck, and the ticker
        // stops so that the deadlock watchdog of SyncTestBase.runTest sees the loop park.
        if (!stop && tick < MAX_TICKS) {
            loop.callSoon(() -> ticker(loop));
        }
    }

    /** @param b a boolean @return Python's {@code True}/{@code False} */
    static String py(boolean b) {
        return b ? "True" : "False";
    }

    /**
     * Asserts the printed output equals CPython's trace, byte for byte.
     *
     * @param name the trace's file name, e.g. {@code 31_queue_producer_consumer.txt}
     */
    void assertTrace(String name) {
        byte[] expected;
        try (InputStream in = ScenarioBase.class.getResourceAsStream("/conformance/" + name)) {
            expected = in != null ? in.readAllBytes()
                    : Files.readAllBytes(Path.of("/work/shared/asyncio-conformance/expected", name));
        } catch (IOException e) {
            throw new AssertionError("cannot read the expected trace " + name, e);
        }
        assertEquals(new String(expected, StandardCharsets.UTF_8), out.toString(), "trace of " + name);
    }
}
