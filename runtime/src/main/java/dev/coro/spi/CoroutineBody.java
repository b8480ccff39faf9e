package dev.coro.spi;

/**
 * The resumable code of one {@code @Async} method: the rewriter turns the method's body into a
 * {@code static Object name(Frame)} method of the same class and binds it to this interface with
 * {@code invokedynamic} ({@code LambdaMetafactory}, non-capturing, so one shared instance per
 * method).
 *
 * <p>Contract of {@link #resume(Frame)}:
 * <ul>
 *   <li>returns {@link Frame#SUSPENDED} when the coroutine suspended at an await; before returning
 *       it has stored every value live across the await into the frame and set
 *       {@link Frame#state} to the await site's number (1, 2, ...);</li>
 *   <li>returns any other value (including {@code null}) when the coroutine finished: that is its
 *       result;</li>
 *   <li>throws when the coroutine finished with that exception.</li>
 * </ul>
 * The driver ({@link dev.coro.Task}) calls it with {@code frame.state == 0} to start the body, and
 * with the state of the await site to resume it after it delivered the awaited outcome into the
 * frame (read back with {@link Frame#resumeValue()}).
 */
@FunctionalInterface
public interface CoroutineBody {
    /**
     * Runs the coroutine from its current state until it suspends or finishes.
     *
     * @param frame the coroutine's frame: state and saved values
     * @return {@link Frame#SUSPENDED} or the coroutine's result
     * @throws Throwable the exception the coroutine finished with
     */
    Object resume(Frame<?> frame) throws Throwable;
}
