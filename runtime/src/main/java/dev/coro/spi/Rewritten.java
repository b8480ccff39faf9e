package dev.coro.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose {@code @Async} methods the Coro rewriter has already turned into state
 * machines. The rewriter, the Maven plugin and the agent leave a class carrying this marker
 * alone, so rewriting is idempotent and plugin output is not rewritten again by the agent.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Rewritten {
    /**
     * The current format version of rewritten code. 2: resume methods carry {@link AwaitSites} and
     * each rewritten class checks the version when it is initialized ({@link FormatCheck}).
     */
    int CURRENT_VERSION = 2;

    /**
     * The format version of the rewritten code ({@link #CURRENT_VERSION} when written).
     *
     * @return the format version
     */
    int version();
}
