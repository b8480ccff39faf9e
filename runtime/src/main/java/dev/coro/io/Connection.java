package dev.coro.io;

/**
 * The two sides of a stream connection ({@code open_connection}'s {@code (reader, writer)}).
 *
 * @param reader the read side
 * @param writer the write side
 */
public record Connection(StreamReader reader, StreamWriter writer) {
}
