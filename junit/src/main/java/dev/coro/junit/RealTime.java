package dev.coro.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Coro test (one method, or every one of a class) on {@link dev.coro.EventLoop#create()}, the
 * system's monotonic clock, instead of a virtual clock: sleeps and timeouts take real time. For
 * tests whose deadlines must hold against work of other threads; a {@link TestClock} can still
 * {@link TestClock#runCurrent() runCurrent} and {@link TestClock#runUntilIdle() runUntilIdle}, but
 * not advance.
 */
@Documented
@Inherited
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface RealTime {
}
