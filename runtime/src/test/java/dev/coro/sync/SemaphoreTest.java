package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.BoundedSemaphore;
import dev.coro.CancelledError;
import dev.coro.Semaphore;
import dev.coro.Task;
import org.junit.jupiter.api.Test;

/** Timelines transcribed from CPython 3.13 runs of the same scenarios. */
class SemaphoreTest extends SyncTestBase {

    /**
     * acquire, hold for {@code hold} sleep(0)s, release; steps "acquiring", "acquired" (with the
     * value then), "released" (with the value then), "cancelled" (0 = must not happen).
     */
    private Script<Void> user(Semaphore sem, int hold, int acquiringStep, boolean lockedAtStart,
            int acquiredStep, int valueAcquired, int releasedStep, int valueReleased, int cancelledStep) {
        int[] held = {0};
        return new Script<Void>()
                .step(v -> {
                    expect(acquiringStep);
                    assertEquals(lockedAtStart, sem.locked());
                    return await(sem.acquire());
                })
                .handle((v, error) -> {
                    if (error != null) {
                        if (cancelledStep == 0) {
                            expectUnreached();
                        }
                        expect(cancelledStep);
                        assertInstanceOf(CancelledError.class, error);
                        throw error;
                    }
                    expect(acquiredStep);
                    assertEquals(valueAcquired, sem.value());
                    return Script.proceed();
                })
                .step(v -> {
                    if (held[0]++ < hold) {
                        return Script.awaitThen(yield0(), 2);
                    }
                    sem.release();
                    expect(releasedStep);
                    assertEquals(valueReleased, sem.value());
                    return null;
                });
    }

    @Test
    void testAcquire_fastPathAndCounting() {
        Semaphore sem = new Semaphore(2);
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    spawn(new Script<Void>().step(w -> {
                        expect(3);
                        return null;
                    }));
                    return await(sem.acquire());
                })
                .step(v -> {
                    assertEquals(1, sem.value());
                    return await(sem.acquire());
                })
                .step(v -> {
                    expect(2); // two fast paths, no suspension
                    assertEquals(0, sem.value());
                    assertTrue(sem.locked());
                    return await(yield0());
                })
                .step(v -> {
                    sem.release();
                    sem.release();
                    sem.release(); // a plain Semaphore may exceed its initial value
                    assertEquals(3, sem.value());
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testFourUsersTwoPermits() {
        Semaphore sem = new Semaphore(2);
        runTest(new Script<Void>()
                .step(v -> await(gather(
                        spawn(user(sem, 1, 1, false, 2, 1, 7, 0, 0)),
                        spawn(user(sem, 1, 3, false, 4, 0, 8, 0, 0)),
                        spawn(user(sem, 1, 5, true, 9, 0, 11, 1, 0)),
                        spawn(user(sem, 1, 6, true, 10, 0, 12, 2, 0)))))
                .step(v -> {
                    finish(13);
                    assertEquals(2, sem.value());
                    return null;
                }));
    }

    @Test
    void testWokenWaiterNotYetRun_newcomerQueuesDespiteFreePermit() {
        Semaphore sem = new Semaphore(0);
        Task<?>[] b = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    b[0] = spawn(user(sem, 0, 1, true, 4, 0, 5, 1, 0));
                    return await(yield0());
                })
                .step(v -> {
                    sem.release(); // hands the permit to B: value stays 0
                    assertEquals(0, sem.value());
                    sem.release(); // B already woken: value 1, but B's live waiter is queued
                    expect(2);
                    assertEquals(1, sem.value());
                    assertTrue(sem.locked());
                    return await(user(sem, 0, 3, true, 6, 1, 7, 2, 0).coroutine());
                })
                .step(v -> await(b[0]))
                .step(v -> {
                    finish(8);
                    assertEquals(2, sem.value());
                    return null;
                }));
    }

    @Test
    void testCancelAfterGrant_givesThePermitToTheNext() {
        Semaphore sem = new Semaphore(1);
        Task<?>[] bc = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> await(sem.acquire()))
                .step(v -> {
                    bc[0] = spawn(user(sem, 0, 1, true, 0, 0, 0, 0, 4));
                    bc[1] = spawn(user(sem, 0, 2, true, 5, 0, 6, 1, 0));
                    return await(yield0());
                })
                .step(v -> {
                    sem.release();
                    bc[0].cancel();
                    expect(3);
                    assertEquals(0, sem.value());
                    return await(gatherReturnExceptions(bc));
                })
                .step(v -> {
                    finish(7);
                    assertEquals(1, sem.value());
                    assertTrue(bc[0].isCancelled());
                    return null;
                }));
    }

    @Test
    void testCancelWhileWaiting_keepsTheCount() {
        Semaphore sem = new Semaphore(1);
        Task<?>[] b = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> await(sem.acquire()))
                .step(v -> {
                    b[0] = spawn(user(sem, 0, 1, true, 0, 0, 0, 0, 2));
                    return await(yield0());
                })
                .step(v -> {
                    b[0].cancel();
                    return await(gatherReturnExceptions(b[0]));
                })
                .step(v -> {
                    expect(3);
                    assertEquals(0, sem.value());
                    assertTrue(sem.locked());
                    sem.release();
                    assertEquals(1, sem.value());
                    assertFalse(sem.locked());
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testWithPermit() {
        Semaphore sem = new Semaphore(1);
        runTest(new Script<Void>()
                .step(v -> await(sem.withPermit(() -> new Script<String>()
                        .step(w -> {
                            expect(1);
                            assertEquals(0, sem.value());
                            return "x";
                        }).coroutine())))
                .step(v -> {
                    finish(2);
                    assertEquals("x", v);
                    assertEquals(1, sem.value());
                    return null;
                }));
    }

    @Test
    void testBounded_releaseOverTheBoundThrows() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().startsWith("BoundedSemaphore released too many times"), e.getMessage());
        runTest(new Script<Void>()
                .step(v -> await(sem.acquire()))
                .step(v -> {
                    sem.release();
                    assertThrows(IllegalStateException.class, sem::release);
                    assertEquals(1, sem.value());
                    return null;
                }));
    }

    @Test
    void testNegativeInitialValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().startsWith("Semaphore initial value must be >= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void testToString() {
        assertEquals("Semaphore[unlocked, value:2]", new Semaphore(2).toString());
        assertEquals("BoundedSemaphore[locked]", new BoundedSemaphore(0).toString());
    }
}
