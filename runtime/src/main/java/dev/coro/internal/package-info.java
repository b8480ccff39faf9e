/**
 * Runtime internals shared between {@code dev.coro} and {@code dev.coro.spi} (not exported by the
 * module): the bridges {@link dev.coro.internal.FrameAccess} / {@link dev.coro.internal.TaskAccess},
 * the {@code done(v)} coroutine, the loop's {@link dev.coro.internal.Waker}.
 */
package dev.coro.internal;
