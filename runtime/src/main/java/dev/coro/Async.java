package dev.coro;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose body may call {@link Coro#await(Awaitable)}: the Coro rewriter (the
 * {@code coro-maven-plugin} at build time, or {@code -javaagent:coro-agent.jar} at load time)
 * turns it into a resumable state machine. The method must return {@link Coroutine}; calling it
 * runs nothing, it returns a lazy coroutine object to await or spawn.
 *
 * <pre>{@code
 * @Async static Coroutine<String> fetch(String url) {
 *     String body = await(httpGet(url));
 *     return done(body.trim());
 * }
 * }</pre>
 *
 * <p>Refused at build time, with {@code File.java:line}: {@code @Async} on a constructor, an
 * abstract or native method, or a method not returning {@code Coroutine}; an {@code await} while a
 * monitor is held.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Async {
}
