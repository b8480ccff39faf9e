package dev.coro;

/**
 * asyncio.QueueShutDown (Python 3.13): a put on a queue that was {@link Queue#shutdown(boolean)
 * shut down}, or a get on a shut-down queue that is empty (or was shut down immediately).
 */
public class QueueShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which operation was refused
     */
    public QueueShutDown(String message) {
        super(message);
    }
}
