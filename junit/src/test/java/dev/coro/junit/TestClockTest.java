package dev.coro.junit;

import static dev.coro.Coro.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Task;
import dev.coro.TimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Coro tests of the TestClock, run by the coro engine (Surefire finds it next to Jupiter). */
class TestClockTest {
    private final List<String> trace = new ArrayList<>();

    @Async
    private Coroutine<Void> note(Duration delay, String what) {
        await(sleep(delay));
        trace.add(what);
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> sleepOfAnHourEndsAtOnceOnTheVirtualClock(TestClock clock, EventLoop loop) {
        long started = System.nanoTime();
        assertTrue(loop.isVirtualTime());
        assertSame(loop, Coro.loop());
        assertEquals(Duration.ZERO, clock.now());
        await(sleep(Duration.ofHours(1)));
        assertEquals(Duration.ofHours(1), clock.now());
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "an hour of virtual time took real seconds");
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> advanceByStopsBetweenTwoTimers(TestClock clock) {
        Task<Void> reminder = spawn(note(Duration.ofSeconds(10), "reminded"));
        await(clock.advanceBy(Duration.ofSeconds(9)));
        assertEquals(Duration.ofSeconds(9), clock.now());
        assertEquals(List.of(), trace);
        await(clock.advanceBy(Duration.ofSeconds(1)));
        // due exactly then: already run
        assertEquals(Duration.ofSeconds(10), clock.now());
        assertEquals(List.of("reminded"), trace);
        assertTrue(reminder.isDone());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> advanceToRunsTimersInDeadlineOrderAndWhatTheyMakeReady(TestClock clock) {
        Task<Void> late = spawn(note(Duration.ofSeconds(3), "3 s"));
        Task<Void> early = spawn(note(Duration.ofSeconds(1), "1 s"));
        Task<Void> chained = spawn(chain());
        await(clock.advanceTo(Duration.ofSeconds(2)));
        assertEquals(List.of("1 s", "2 s", "2 s + 3 yields"), trace);
        assertEquals(Duration.ofSeconds(2), clock.now());
        assertFalse(late.isDone());
        await(clock.advanceTo(Duration.ofSeconds(3)));
        assertEquals(List.of("1 s", "2 s", "2 s + 3 yields", "3 s"), trace);
        await(gather(late, early, chained));
        return done();
    }

    @Async
    private Coroutine<Void> chain() {
        await(sleep(Duration.ofSeconds(2)));
        trace.add("2 s");
        for (int i = 0; i < 3; i++) {
            await(sleep(Duration.ZERO));
        }
        trace.add("2 s + 3 yields");
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> runCurrentRunsWhatIsReadyWithoutMovingTheClock(TestClock clock) {
        Task<Void> yielder = spawn(yieldThenSleep());
        await(clock.runCurrent());
        assertEquals(List.of("yield 1", "yield 2", "yield 3"), trace);
        assertEquals(Duration.ZERO, clock.now());
        assertFalse(yielder.isDone());
        await(yielder);
        assertEquals(Duration.ofSeconds(5), clock.now());
        return done();
    }

    @Async
    private Coroutine<Void> yieldThenSleep() {
        for (int i = 1; i <= 3; i++) {
            await(sleep(Duration.ZERO));
            trace.add("yield " + i);
        }
        await(sleep(Duration.ofSeconds(5)));
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> runUntilIdleRunsEveryTimer(TestClock clock) {
        Task<Void> a = spawn(note(Duration.ofSeconds(5), "5 s"));
        Task<Void> b = spawn(note(Duration.ofMinutes(1), "1 min"));
        await(clock.runUntilIdle());
        assertTrue(a.isDone() && b.isDone());
        assertEquals(List.of("5 s", "1 min"), trace);
        assertEquals(Duration.ofMinutes(1), clock.now());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> runUntilIdleWaitsForAnotherThreadsWork(TestClock clock) {
        Task<String> job = spawn(fromThread());
        await(clock.runUntilIdle());
        assertEquals("from a thread", job.result());
        return done();
    }

    @Async
    private static Coroutine<String> fromThread() {
        String s = await(toThread(() -> {
            Thread.sleep(20);
            return "from a thread";
        }));
        return done(s);
    }

    @CoroTest
    @Async
    Coroutine<Void> awaitingAnotherThreadIsNoDeadlock(TestClock clock) {
        assertEquals("from a thread", await(fromThread()));
        assertEquals(Duration.ZERO, clock.now());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> clockOperationsOneAtATimeAndForwardOnly(TestClock clock) {
        await(sleep(Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> clock.advanceTo(Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> clock.advanceBy(Duration.ofSeconds(-1)));
        dev.coro.Awaitable<Void> first = clock.advanceBy(Duration.ofSeconds(1));
        IllegalStateException e = assertThrows(IllegalStateException.class, clock::runCurrent);
        assertTrue(e.getMessage().contains("is pending"), e.getMessage());
        await(first);
        assertEquals(Duration.ofSeconds(3), clock.now());
        return done();
    }

    @CoroTest
    @Async
    static Coroutine<Void> staticMethodsRunToo(EventLoop loop) {
        await(sleep(Duration.ofMillis(1500)));
        assertEquals(1.5, loop.time());
        return done();
    }

    @CoroTest
    @RealTime
    @Async
    Coroutine<Void> realTimeSleepsForReal(TestClock clock, EventLoop loop) {
        assertFalse(loop.isVirtualTime());
        assertFalse(clock.isVirtual());
        long started = System.nanoTime();
        await(sleep(Duration.ofMillis(30)));
        assertTrue(System.nanoTime() - started >= 30_000_000L);
        assertTrue(clock.now().toMillis() >= 30);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> clock.advanceBy(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("@RealTime"), e.getMessage());
        await(clock.runCurrent());
        return done();
    }

    // ---------------------------------------------------------------- the README's three examples

    @CoroTest
    @Async
    Coroutine<Void> aTimeoutFiresOnTheVirtualClock(TestClock clock) {
        try {
            await(waitFor(sleep(Duration.ofHours(1)), Duration.ofSeconds(5)));
            fail("no timeout");
        } catch (TimeoutException expected) {
            // after 5 s of virtual time, at once
        }
        assertEquals(Duration.ofSeconds(5), clock.now());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> aCancelledTaskRunsItsFinally(TestClock clock) {
        Task<Void> worker = spawn(note(Duration.ofMinutes(10), "never"));
        await(clock.advanceBy(Duration.ofMinutes(1)));
        worker.cancel();
        try {
            await(worker);
            fail("not cancelled");
        } catch (dev.coro.CancelledError expected) {
            // the worker's cancellation, re-raised where it is awaited
        }
        assertTrue(worker.isCancelled());
        assertEquals(List.of(), trace);
        return done();
    }
}
