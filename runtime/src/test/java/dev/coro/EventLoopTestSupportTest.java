package dev.coro;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test-support hooks of EventLoop that coro-junit's driver uses: runOneIteration, hasReadyWork. */
class EventLoopTestSupportTest {

    @Test
    void runOneIteration_runsExactlyWhatWasReady_thenReturns() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            List<String> trace = new ArrayList<>();
            loop.callSoon(() -> {
                trace.add("a");
                loop.callSoon(() -> trace.add("c")); // next iteration
            });
            loop.callSoon(() -> trace.add("b"));
            assertTrue(loop.hasReadyWork());
            loop.runOneIteration();
            assertEquals(List.of("a", "b"), trace);
            assertFalse(loop.isRunning());
            loop.runOneIteration();
            assertEquals(List.of("a", "b", "c"), trace);
            assertFalse(loop.hasReadyWork());
            assertTrue(loop.isIdle());
        }
    }

    @Test
    void runOneIteration_jumpsAVirtualClockToTheNextTimer_hasReadyWorkSaysWhenATimerIsDue() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            List<String> trace = new ArrayList<>();
            Handle cancelled = loop.callLater(Duration.ofSeconds(1), () -> trace.add("cancelled"));
            loop.callLater(Duration.ofSeconds(5), () -> trace.add("5 s"));
            cancelled.cancel();
            // a cancelled timer at the top is dropped, the live one is not due
            assertFalse(loop.hasReadyWork());
            assertFalse(loop.isIdle());
            loop.runOneIteration();
            assertEquals(5_000_000_000L, loop.nanoTime());
            assertEquals(List.of("5 s"), trace);
            loop.callLater(Duration.ZERO, () -> trace.add("now"));
            assertTrue(loop.hasReadyWork());
            loop.runOneIteration();
            assertEquals(List.of("5 s", "now"), trace);
            assertEquals(5_000_000_000L, loop.nanoTime());
        }
    }

    @Test
    void runOneIteration_givesCallbacksARunningLoop_andDropsAStop() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            List<Object> seen = new ArrayList<>();
            loop.callSoon(() -> {
                seen.add(Coro.loop());
                loop.stop();
            });
            loop.runOneIteration();
            assertEquals(List.of(loop), seen);
            loop.callSoon(() -> seen.add("after the stop"));
            loop.runOneIteration();
            assertEquals(List.of(loop, "after the stop"), seen);
        }
    }

    @Test
    void runOneIteration_refusesAClosedLoop() {
        EventLoop loop = EventLoop.virtualTime();
        loop.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, loop::runOneIteration);
        assertTrue(e.getMessage().contains("runOneIteration"), e.getMessage());
    }
}
