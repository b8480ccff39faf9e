package dev.coro;

/**
 * asyncio.QueueEmpty: {@link Queue#getNowait()} was called on an empty queue. Await
 * {@link Queue#get()} instead to wait for an item.
 */
public class QueueEmpty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public QueueEmpty() {
        super("getNowait() on an empty queue: await get() to wait for an item");
    }
}
