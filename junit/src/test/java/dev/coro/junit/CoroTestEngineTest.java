package dev.coro.junit;

import static dev.coro.Coro.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The coro engine run on sample classes (nested, so that Surefire does not run them itself) through
 * the JUnit Platform test kit: what must pass passes, and what must fail fails, saying why.
 */
class CoroTestEngineTest {

    private static EngineExecutionResults run(DiscoverySelector selector) {
        return EngineTestKit.engine(CoroTestEngine.ENGINE_ID).selectors(selector).execute();
    }

    /** The one failure of a sample class with one test. */
    private static Throwable onlyFailure(Class<?> sample) {
        EngineExecutionResults results = run(selectClass(sample));
        results.testEvents().assertStatistics(s -> s.started(1).failed(1).succeeded(0));
        List<Event> failed = results.testEvents().failed().list();
        return failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    private static void assertMentions(Throwable error, String... parts) {
        String message = String.valueOf(error.getMessage());
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected \"" + part + "\" in:\n" + message);
        }
    }

    // ---------------------------------------------------------------- what passes

    static class Passing {
        @CoroTest
        @Async
        Coroutine<Void> sleeps() {
            await(sleep(Duration.ofMinutes(5)));
            return done();
        }

        @CoroTest
        @Async
        Coroutine<Void> cancelsWhatItSpawnsAtTheEnd() {
            dev.coro.Task<Void> ticker = spawn(tickForEver());
            await(sleep(Duration.ofSeconds(3)));
            ticker.cancel(); // the cancellation is delivered after the test's task ended: not a leak
            return done();
        }

        @CoroTest
        @Disabled("a fixture: the engine must skip it and report this reason")
        @Async
        Coroutine<Void> disabled() {
            throw new AssertionError("a @Disabled test ran");
        }
    }

    @Async
    static Coroutine<Void> tickForEver() {
        while (true) {
            await(sleep(Duration.ofSeconds(1)));
        }
    }

    @Test
    void testsThatPassPass_andDisabledOnesAreSkipped() {
        run(selectClass(Passing.class)).testEvents()
                .assertStatistics(s -> s.started(2).succeeded(2).failed(0).skipped(1))
                .assertThatEvents().haveExactly(1, org.junit.platform.testkit.engine.EventConditions.skippedWithReason(
                        "a fixture: the engine must skip it and report this reason"));
    }

    @Test
    void methodAndUniqueIdSelectorsPickOneTest() throws Exception {
        run(selectMethod(Passing.class, Passing.class.getDeclaredMethod("sleeps")))
                .testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        String id = "[engine:coro]/[class:" + Passing.class.getName() + "]/[method:sleeps()]";
        run(selectUniqueId(id)).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    @Test
    void aPackageScanFindsTopLevelClassesOnly_notTheseSamples() {
        List<String> classes = EngineTestKit.engine(CoroTestEngine.ENGINE_ID)
                .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage("dev.coro.junit"))
                .execute().containerEvents().started().list().stream()
                .map(e -> e.getTestDescriptor().getDisplayName()).collect(Collectors.toList());
        assertTrue(classes.contains("TestClockTest"), classes::toString);
        assertFalse(classes.contains("Leaks"), classes::toString);
    }

    // ---------------------------------------------------------------- what must fail

    static class Leaks {
        @CoroTest
        @Async
        Coroutine<Void> leavesATaskRunning() {
            spawn(tickForEver(), "ticker");
            await(sleep(Duration.ofSeconds(2)));
            return done();
        }
    }

    @Test
    void aTaskStillRunningAtTheEndFailsTheTest() {
        assertMentions(onlyFailure(Leaks.class), "1 task was still running at the end of Leaks.leavesATaskRunning()",
                "<Task pending name='ticker' at ");
    }

    static class NeverRetrieved {
        @CoroTest
        @Async
        Coroutine<Void> forgetsAFailedTask() {
            spawn(fail("lost"));
            await(sleep(Duration.ofSeconds(1)));
            return done();
        }
    }

    @Async
    static Coroutine<Void> fail(String message) {
        await(sleep(Duration.ZERO));
        throw new IllegalStateException(message);
    }

    @Test
    void anExceptionNeverRetrievedFailsTheTest() {
        Throwable failure = onlyFailure(NeverRetrieved.class);
        assertMentions(failure, "exception handler was called", "never retrieved");
        assertEquals("lost", failure.getCause().getMessage());
    }

    static class HandlerCalled {
        @CoroTest
        @Async
        Coroutine<Void> aCallbackThrows(EventLoop loop) {
            loop.callSoon(() -> {
                throw new IllegalArgumentException("boom in a callback");
            });
            await(sleep(Duration.ofSeconds(1)));
            return done();
        }
    }

    @Test
    void aCallToTheExceptionHandlerFailsTheTest() {
        Throwable failure = onlyFailure(HandlerCalled.class);
        assertMentions(failure, "exception handler was called during HandlerCalled.aCallbackThrows()", "Exception in callback");
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    }

    static class Deadlocks {
        @CoroTest
        @Async
        Coroutine<Void> waitsForAPromiseNobodyCompletes(EventLoop loop) {
            Promise<String> never = loop.createPromise();
            await(sleep(Duration.ofSeconds(3)));
            await(never);
            return done();
        }
    }

    @Test
    void aDeadlockFailsAtOnce() {
        long started = System.nanoTime();
        Throwable failure = onlyFailure(Deadlocks.class);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertMentions(failure, "Deadlock in Deadlocks.waitsForAPromiseNobodyCompletes() at PT3S",
                "nothing is ready", "<Task pending name='waitsForAPromiseNobodyCompletes' at ");
        // at once: not after the 60 s real-time limit (generous bound for a loaded 2-core machine)
        assertTrue(tookMillis < 10_000, "took " + tookMillis + " ms");
    }

    static class RealTimeDeadlock {
        @CoroTest
        @RealTime
        @Async
        Coroutine<Void> waitsForEver(EventLoop loop) {
            await(sleep(Duration.ofMillis(5)));
            await(loop.createPromise());
            return done();
        }
    }

    @Test
    void aDeadlockOnARealClockFailsAtOnceToo() {
        long started = System.nanoTime();
        assertMentions(onlyFailure(RealTimeDeadlock.class), "Deadlock in RealTimeDeadlock.waitsForEver()");
        assertTrue(System.nanoTime() - started < 10_000_000_000L);
    }

    static class TicksPastItsLimit {
        @CoroTest(timeoutSeconds = 5)
        @Async
        Coroutine<Void> waitsOnAnEventThatNeverComes(EventLoop loop) {
            spawn(tickForEver(), "ticker");
            await(loop.createPromise());
            return done();
        }
    }

    @Test
    void aTestPastItsVirtualTimeLimitFails_andItsTasksAreListed() {
        assertMentions(onlyFailure(TicksPastItsLimit.class),
                "did not end within its time limit of PT5S of virtual time", "<Task pending name='ticker' at ");
    }

    static class Spins {
        @CoroTest(realTimeoutSeconds = 1)
        @Async
        Coroutine<Void> yieldsForEver() {
            while (true) {
                await(sleep(Duration.ZERO));
            }
        }
    }

    @Test
    void aTestThatNeverLetsTheClockMoveIsStoppedByItsRealTimeLimit() {
        assertMentions(onlyFailure(Spins.class), "did not end within PT1S of real time while its virtual clock stood at PT0S");
    }

    static class ThrowsItself {
        @CoroTest
        @Async
        Coroutine<Void> failsAndLeaks() {
            spawn(tickForEver(), "ticker");
            await(sleep(Duration.ofSeconds(1)));
            throw new IllegalStateException("the test's own failure");
        }
    }

    @Test
    void theTestsOwnExceptionComesFirst_otherProblemsSuppressed() {
        Throwable failure = onlyFailure(ThrowsItself.class);
        assertInstanceOf(IllegalStateException.class, failure);
        assertEquals("the test's own failure", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        assertMentions(failure.getSuppressed()[0], "still running", "ticker");
    }

    // ---------------------------------------------------------------- what looks like a test but is not run

    static class WithoutTheExtension {
        @Test
        @Async
        Coroutine<Void> wouldBeSkippedByJupiter() {
            await(sleep(Duration.ofSeconds(1)));
            return done();
        }
    }

    @Test
    void aTestReturningCoroutineWithoutTheExtensionFailsLoudly() {
        assertMentions(onlyFailure(WithoutTheExtension.class), "WithoutTheExtension.wouldBeSkippedByJupiter() is a @Test"
                + " returning Coroutine", "add @ExtendWith(CoroExtension.class) to WithoutTheExtension, or use @CoroTest");
    }

    static class VoidCoroTest {
        @CoroTest
        void notACoroutine() {
        }
    }

    @Test
    void aCoroTestNotReturningCoroutineFails() {
        assertMentions(onlyFailure(VoidCoroTest.class), "VoidCoroTest.notACoroutine() is @CoroTest but returns void");
    }

    static class UnknownParameter {
        @CoroTest
        @Async
        Coroutine<Void> wantsAString(String s) {
            return done();
        }
    }

    @Test
    void aParameterThatCannotBeInjectedFails() {
        assertMentions(onlyFailure(UnknownParameter.class), "parameter of type java.lang.String",
                "EventLoop and a TestClock only");
    }

    @Test
    void jupiterDoesNotRunTheCoroutineMethods() {
        // the other half of the contract: Jupiter sees no test in these classes
        List<String> names = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Passing.class)).execute()
                .testEvents().started().list().stream().map(e -> e.getTestDescriptor().getDisplayName())
                .collect(Collectors.toList());
        assertEquals(List.of(), names);
    }
}
