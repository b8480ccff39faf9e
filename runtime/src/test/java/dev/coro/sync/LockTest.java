package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Lock;
import dev.coro.Task;
import org.junit.jupiter.api.Test;

class LockTest extends SyncTestBase {

    /** A task that acquires, records {@code acquiredStep}, then releases at once. */
    private Script<Void> acquireAndRelease(Lock lock, int queuedStep, int acquiredStep) {
        return new Script<Void>()
                .step(v -> {
                    expect(queuedStep);
                    return await(lock.acquire());
                })
                .step(acquired -> {
                    expect(acquiredStep);
                    assertEquals(Boolean.TRUE, acquired);
                    assertTrue(lock.locked());
                    lock.release();
                    return null;
                });
    }

    @Test
    void testAcquire_freeLockDoesNotSuspend() {
        Lock lock = new Lock();
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    spawn(new Script<Void>().step(w -> {
                        expect(3);
                        return null;
                    }));
                    assertFalse(lock.locked());
                    return await(lock.acquire());
                })
                .step(acquired -> {
                    expect(2); // before the spawned task's first step: no suspension
                    assertEquals(Boolean.TRUE, acquired);
                    assertTrue(lock.locked());
                    return await(yield0());
                })
                .step(v -> {
                    lock.release();
                    assertFalse(lock.locked());
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testAcquire_isLazy() {
        Lock lock = new Lock();
        runTest(new Script<Void>()
                .step(v -> {
                    Coroutine<Boolean> acquire = lock.acquire();
                    assertFalse(lock.locked(), "nothing runs before the coroutine is awaited");
                    return await(acquire);
                })
                .step(v -> {
                    assertTrue(lock.locked());
                    return null;
                }));
    }

    @Test
    void testWaiters_fifoAndNoBarging() {
        Lock lock = new Lock();
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    return await(lock.acquire());
                })
                .step(v -> {
                    spawn(acquireAndRelease(lock, 2, 5));
                    spawn(acquireAndRelease(lock, 3, 6));
                    return await(yield0());
                })
                .step(v -> {
                    expect(4);
                    lock.release();
                    // B's waiter is woken but B has not run: the lock reads free, yet a new
                    // acquire must queue behind B and C.
                    assertFalse(lock.locked());
                    return await(lock.acquire());
                })
                .step(v -> {
                    expect(7);
                    assertTrue(lock.locked());
                    lock.release();
                    finish(8);
                    return null;
                }));
    }

    @Test
    void testCancelledWaiter_isSkipped() {
        Lock lock = new Lock();
        Task<?>[] b = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    return await(lock.acquire());
                })
                .step(v -> {
                    b[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(2);
                                return await(lock.acquire());
                            })
                            .handle((w, error) -> {
                                expect(5);
                                assertInstanceOf(CancelledError.class, error);
                                assertTrue(lock.locked(), "the lock is still held by main");
                                throw error;
                            }));
                    spawn(acquireAndRelease(lock, 3, 7));
                    return await(yield0());
                })
                .step(v -> {
                    expect(4);
                    assertTrue(b[0].cancel());
                    return await(yield0());
                })
                .step(v -> {
                    expect(6);
                    assertTrue(b[0].isCancelled());
                    lock.release();
                    return await(yield0());
                })
                .step(v -> {
                    finish(8);
                    assertFalse(lock.locked());
                    return null;
                }));
    }

    @Test
    void testWaiterCancelledAfterWakeUp_passesTheLockOn() {
        // CPython: B woken by release() and cancelled in the same step; B's handler sees the lock
        // free and wakes C, which acquires one iteration later.
        Lock lock = new Lock();
        Task<?>[] b = new Task<?>[1];
        Task<?>[] c = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    return await(lock.acquire());
                })
                .step(v -> {
                    b[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(2);
                                return await(lock.acquire());
                            })
                            .handle((w, error) -> {
                                expect(5);
                                assertInstanceOf(CancelledError.class, error);
                                assertFalse(lock.locked());
                                throw error;
                            }));
                    c[0] = spawn(acquireAndRelease(lock, 3, 7));
                    return await(yield0());
                })
                .step(v -> {
                    expect(4);
                    lock.release();
                    assertTrue(b[0].cancel());
                    return await(yield0());
                })
                .step(v -> {
                    expect(6);
                    assertTrue(b[0].isCancelled());
                    return await(yield0());
                })
                .step(v -> {
                    finish(8);
                    assertTrue(c[0].isDone());
                    return null;
                }));
    }

    @Test
    void testAcquire_fastPathWhenEveryWaiterIsCancelled() {
        Lock lock = new Lock();
        Task<?>[] b = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    return await(lock.acquire());
                })
                .step(v -> {
                    b[0] = spawn(new Script<Void>().step(w -> {
                        expect(2);
                        return await(lock.acquire());
                    }));
                    return await(yield0());
                })
                .step(v -> {
                    expect(3);
                    b[0].cancel();
                    lock.release();
                    // The only waiter is cancelled: acquire takes the fast path, before B runs.
                    return await(lock.acquire());
                })
                .step(v -> {
                    expect(4);
                    assertFalse(b[0].isDone());
                    return await(b[0]);
                })
                .handle((v, error) -> {
                    finish(5);
                    assertInstanceOf(CancelledError.class, error);
                    assertTrue(lock.locked());
                    return null;
                }));
    }

    @Test
    void testRelease_unlockedThrows() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("Lock is not acquired.", e.getMessage());
    }

    @Test
    void testWithLock_releasesOnException() {
        Lock lock = new Lock();
        IllegalArgumentException boom = new IllegalArgumentException("inside");
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    return await(lock.withLock(() -> new Script<String>()
                            .step(w -> {
                                expect(2);
                                assertTrue(lock.locked());
                                return await(yield0());
                            })
                            .step(w -> {
                                expect(3);
                                throw boom;
                            }).coroutine()));
                })
                .handle((v, error) -> {
                    expect(4);
                    assertEquals(boom, error);
                    assertFalse(lock.locked());
                    return await(lock.withLock(() -> new Script<String>().step(w -> "value").coroutine()));
                })
                .step(value -> {
                    finish(5);
                    assertEquals("value", value);
                    assertFalse(lock.locked());
                    return null;
                }));
    }

    @Test
    void testWithLock_cancelledWhileWaitingDoesNotRelease() {
        Lock lock = new Lock();
        Task<?>[] b = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    return await(lock.acquire());
                })
                .step(v -> {
                    b[0] = spawn(new Script<Void>().step(w -> {
                        expect(2);
                        return await(lock.withLock(() -> {
                            expectUnreached();
                            return null;
                        }));
                    }));
                    return await(yield0());
                })
                .step(v -> {
                    expect(3);
                    b[0].cancel();
                    return await(b[0]);
                })
                .handle((v, error) -> {
                    finish(4);
                    assertInstanceOf(CancelledError.class, error);
                    assertTrue(lock.locked(), "a cancelled withLock must not release a lock it never held");
                    return null;
                }));
    }

    @Test
    void testLock_boundToOneLoop() {
        Lock lock = new Lock();
        runTest(new Script<Void>()
                .step(v -> await(lock.acquire()))
                .step(v -> {
                    Task<Void> b = spawn(new Script<Void>().step(w -> await(lock.acquire())));
                    return await(yield0()); // b queues: the lock binds to this loop
                }));
        EventLoop other = EventLoop.virtualTime();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> other.runUntilComplete(lock.acquire()));
            assertTrue(e.getMessage().contains("bound to a different event loop"), e.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void testToString() {
        Lock lock = new Lock();
        assertEquals("Lock[unlocked]", lock.toString());
    }
}
