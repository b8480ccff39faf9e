package dev.coro;

/**
 * asyncio.QueueFull: {@link Queue#putNowait(Object)} was called on a queue holding
 * {@link Queue#maxsize()} items. Await {@link Queue#put(Object)} instead to wait for room.
 */
public class QueueFull extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public QueueFull() {
        super("putNowait() on a full queue: await put() to wait for a free slot");
    }
}
