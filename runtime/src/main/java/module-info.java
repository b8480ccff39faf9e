/**
 * Coro: asyncio for Java, compiled.
 *
 * <p>{@code dev.coro} is the public API; {@code dev.coro.spi} is the protocol that rewritten
 * code calls (stable, but not meant for hand-written code); {@code dev.coro.internal} is not
 * exported.
 */
module dev.coro {
    requires java.logging;
    requires java.management;
    // sun.misc.Signal, for EventLoop.addSignalHandler and Ctrl-C in Coro.run; optional: without
    // it those say so (dev.coro.internal.Signals).
    requires static jdk.unsupported;
    exports dev.coro;
    exports dev.coro.spi;
    exports dev.coro.io;
}
