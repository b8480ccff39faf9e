package dev.coro.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Where the suspension points of one rewritten {@code @Async} method are in its source. The
 * rewriter puts this annotation on the method's resume code (the {@code private static synthetic
 * Object m(Frame)} it binds to {@link CoroutineBody}); the runtime reads it, once per method and
 * only when a description is asked for (task dumps, async stack traces, {@code toString()}), to
 * name a suspended coroutine as {@code com.acme.Deep.level5(Deep.java:18)}.
 *
 * <p>Part of the rewritten-code format: its layout is covered by {@link Rewritten#version()}.
 * Not meant to be written by hand.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AwaitSites {
    /**
     * The source method's name, as written ({@code level5}), not the resume method's.
     *
     * @return the method name
     */
    String method();

    /**
     * The class file's {@code SourceFile} attribute ({@code Deep.java}), or {@code ""} when the
     * class was compiled without it.
     *
     * @return the source file name, or an empty string
     */
    String file() default "";

    /**
     * The first line of the method's code, or {@code -1} when the class has no line numbers.
     *
     * @return the first line
     */
    int line() default -1;

    /**
     * The line of each await site: {@code lines()[k - 1]} is the line of the await that, when it
     * suspends, stores state {@code k} in {@link Frame#state}. {@code -1} for a site whose line is
     * not known.
     *
     * @return the lines, indexed by resume state minus one
     */
    int[] lines() default {};
}
