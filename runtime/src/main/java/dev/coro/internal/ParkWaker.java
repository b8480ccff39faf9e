package dev.coro.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The default {@link Waker}: parks the loop thread. A wake-up sets {@code signalled} before it
 * reads {@code sleeping}, and the loop sets {@code sleeping} before it reads {@code signalled}
 * (all volatile), so at least one side sees the other: either the loop does not park, or the
 * waker unparks it.
 */
public final class ParkWaker implements Waker {
    private final Thread owner;
    private volatile boolean sleeping;
    private volatile boolean signalled;

    /**
     * @param owner the loop thread
     */
    public ParkWaker(Thread owner) {
        this.owner = owner;
    }

    @Override
    public void block(long timeoutNanos) {
        if (timeoutNanos == 0) {
            signalled = false;
            return;
        }
        sleeping = true;
        try {
            if (!signalled) {
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, timeoutNanos);
                }
            }
        } finally {
            sleeping = false;
            signalled = false;
        }
    }

    @Override
    public void wakeup() {
        signalled = true;
        if (sleeping) {
            LockSupport.unpark(owner);
        }
    }
}
