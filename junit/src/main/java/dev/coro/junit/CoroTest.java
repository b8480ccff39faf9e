package dev.coro.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an {@code @Async} test method: {@code @Test} plus {@link CoroExtension}, for one method.
 *
 * <pre>{@code
 * @CoroTest
 * @Async
 * Coroutine<Void> sleepsAnHourInNoTime(TestClock clock) {
 *     await(sleep(Duration.ofHours(1)));
 *     assertEquals(Duration.ofHours(1), clock.now());
 *     return done();
 * }
 * }</pre>
 *
 * <p>The method returns {@code Coroutine} (it may be static, and may take an {@link dev.coro.EventLoop}
 * and a {@link TestClock}); it runs as a task on a fresh loop, on a virtual clock unless it or its
 * class is {@link RealTime @RealTime}. It fails when its task fails, when it runs out of time, when
 * the loop deadlocks, when tasks are still running at its end, when an exception was never
 * retrieved, or when the loop's exception handler was called. See {@link CoroExtension}.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(CoroExtension.class)
public @interface CoroTest {
    /**
     * The test's time limit in seconds on the test's clock: virtual time, unless {@link RealTime}.
     *
     * @return the limit; 0 for the default: {@link CoroExtension#DEFAULT_VIRTUAL_TIMEOUT} on a virtual
     *     clock, {@link CoroExtension#DEFAULT_REAL_TIMEOUT} on a real one
     */
    long timeoutSeconds() default 0;

    /**
     * The test's time limit in real seconds, whatever its clock: it stops a virtual-time test whose
     * clock never moves (a task that yields forever) or that waits for another thread's work that
     * does not end.
     *
     * @return the limit; 0 for the default, {@link CoroExtension#DEFAULT_REAL_TIMEOUT}
     */
    long realTimeoutSeconds() default 0;
}
