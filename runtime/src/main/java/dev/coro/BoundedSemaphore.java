package dev.coro;

/**
 * asyncio.BoundedSemaphore: a {@link Semaphore} whose {@link #release()} refuses to raise the
 * number of free permits above the initial value, which catches a release without a matching
 * acquire.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int boundValue;

    /** Creates a bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Creates a bounded semaphore.
     *
     * @param value the initial and largest number of free permits
     * @throws IllegalArgumentException if {@code value < 0}
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.boundValue = value;
    }

    /**
     * Gives a permit back, like {@link Semaphore#release()}.
     *
     * @throws IllegalStateException (asyncio's ValueError), message starting with
     *     {@code "BoundedSemaphore released too many times"}, if the free permits already equal the
     *     initial value
     */
    @Override
    public void release() {
        if (value >= boundValue) {
            throw new IllegalStateException("BoundedSemaphore released too many times (initial value "
                    + boundValue + "): every release() must match one acquire()");
        }
        super.release();
    }
}
