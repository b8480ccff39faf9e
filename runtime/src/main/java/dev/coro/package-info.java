/**
 * Coro's public API: asyncio for Java. Start with {@link dev.coro.Coro} (the static facade:
 * {@code run}, {@code spawn}, {@code sleep}, {@code gather}, {@code timeout}, {@code taskGroup},
 * ...), mark coroutine methods {@link dev.coro.Async @Async} and return {@link dev.coro.Coroutine}.
 * {@link dev.coro.EventLoop} runs everything on one thread; {@link dev.coro.Promise} and
 * {@link dev.coro.Task} are asyncio's Future and Task. Semantics follow CPython 3.13's asyncio,
 * down to the loop iteration in which each step runs. Deliberate differences:
 * {@link dev.coro.CancelledError} is an {@code Error}; timers with equal deadlines run first in,
 * first out; a pending task is held by its loop until it ends (so "Task was destroyed but it is
 * pending" cannot happen); exception-handler messages name {@code Coro.run()} where asyncio names
 * {@code asyncio.run()}.
 */
package dev.coro;
