package dev.coro.maven;

/**
 * Where {@link Instrumenter} reports progress; the mojos map it onto Maven's log, tests collect it.
 */
interface Reporter {
    /**
     * @param message a line for the normal build output
     */
    void info(String message);

    /**
     * @param message a line shown with {@code -X} (or at info level when {@code verbose} is set)
     */
    void detail(String message);

    /**
     * @param message a problem that does not stop the build
     */
    void warn(String message);
}
