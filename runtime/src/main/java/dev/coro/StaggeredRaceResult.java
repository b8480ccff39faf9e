package dev.coro;

import java.util.List;

/**
 * The outcome of {@link Coro#staggeredRace}: asyncio's {@code (winner_result, winner_index, exceptions)}.
 *
 * @param winnerResult the winner's result, or null when nobody won
 * @param winnerIndex the winner's position in the list, or null when nobody won
 * @param exceptions for each started attempt in order, its exception, or null (the winner's,
 *     and those cancelled because another won)
 * @param <T> the result type
 */
public record StaggeredRaceResult<T>(T winnerResult, Integer winnerIndex, List<Throwable> exceptions) {
}
