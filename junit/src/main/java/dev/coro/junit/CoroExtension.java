package dev.coro.junit;

import java.time.Duration;
import org.junit.jupiter.api.extension.Extension;

/**
 * Runs the {@code @Async} tests of a class: {@code @ExtendWith(CoroExtension.class)} on the class
 * makes each of its {@code @Test} methods that returns {@code Coroutine} a Coro test, as
 * {@link CoroTest @CoroTest} does for one method.
 *
 * <pre>{@code
 * @ExtendWith(CoroExtension.class)
 * class RetryTest {
 *     @Test
 *     @Async
 *     Coroutine<Void> givesUpAfterThreeTries(TestClock clock) { ... }
 * }
 * }</pre>
 *
 * <h2>How a Coro test runs</h2>
 * JUnit Jupiter runs only {@code void} test methods (it reports the others and skips them), so the
 * Coro tests are run by {@link CoroTestEngine}, a JUnit Platform engine of this module that the
 * platform finds on the test class path next to Jupiter. For each test it:
 * <ol>
 *   <li>makes an instance of the class and calls its {@code @BeforeEach} methods;</li>
 *   <li>makes a fresh loop: {@link dev.coro.EventLoop#virtualTime()}, or
 *   {@link dev.coro.EventLoop#create()} under {@link RealTime @RealTime};</li>
 *   <li>calls the method (parameters: the {@link dev.coro.EventLoop}, a {@link TestClock}) and
 *   runs the coroutine it returns as a task, one loop iteration at a time, until the task is
 *   done;</li>
 *   <li>then lets whatever is ready at that time run, and calls the {@code @AfterEach} methods.</li>
 * </ol>
 *
 * <h2>When a Coro test fails</h2>
 * <ul>
 *   <li>its task fails: with the task's exception, unchanged;</li>
 *   <li><b>deadlock</b>: the task is not done and the loop is idle (nothing ready, no live timer,
 *   no channel waiting for I/O, no callback queued by another thread, no executor job or awaited
 *   Java future outstanding; {@link dev.coro.EventLoop#isIdle()}): it fails at once, with the
 *   tasks that wait, instead of hanging;</li>
 *   <li><b>time limit</b>: {@link CoroTest#timeoutSeconds()} on the test's clock (default: a day
 *   of virtual time, or 60 s on a real clock), and {@link CoroTest#realTimeoutSeconds()} of real
 *   time (default 60 s) whatever the clock (a task that never lets the virtual clock move, or
 *   another thread's job that never ends);</li>
 *   <li><b>leaked tasks</b>: tasks still not done at the end (cancel or await what you spawn);</li>
 *   <li><b>exception never retrieved</b>: a failed task or promise whose exception no one read,
 *   found when the loop closes;</li>
 *   <li><b>exception handler called</b>: a callback threw, or anything else reached the loop's
 *   exception handler.</li>
 * </ul>
 * Each failure lists the tasks still pending ({@code <Task pending name='...' at Cls.m(File.java:line)>}); further problems
 * are attached as suppressed exceptions.
 *
 * <h2>Limitations</h2>
 * A {@code @Test} method returning {@code Coroutine} in a class without the extension is reported
 * by {@link CoroTestEngine} as a failed test, provided coro-junit is on the test class path. Only
 * {@code @BeforeEach}/{@code @AfterEach} (no-argument, {@code void}) and {@code @Disabled} of
 * Jupiter's lifecycle apply to Coro tests; a Coro test's class gets a new instance per test.
 */
public final class CoroExtension implements Extension {
    /**
     * The time limit of a virtual-time test that sets none, on its virtual clock: long enough for
     * tests of hour-long sleeps, short enough that a task ticking every 100 ms for ever is stopped
     * in about a million iterations.
     */
    public static final Duration DEFAULT_VIRTUAL_TIMEOUT = Duration.ofDays(1);

    /** The time limit in real time of a test that sets none (either clock). */
    public static final Duration DEFAULT_REAL_TIMEOUT = Duration.ofSeconds(60);

    /** Made by Jupiter ({@code @ExtendWith}); it holds no state. */
    public CoroExtension() {
    }
}
