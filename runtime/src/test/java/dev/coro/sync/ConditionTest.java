package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CancelledError;
import dev.coro.Condition;
import dev.coro.Lock;
import dev.coro.Task;
import org.junit.jupiter.api.Test;

/** Timelines transcribed from CPython 3.13 runs of the same scenarios. */
class ConditionTest extends SyncTestBase {

    /**
     * {@code async with cond: await cond.wait()}, numbering the steps "waiting", "woke" and
     * "cancelled" (0 = must not happen).
     */
    private Script<Void> waiter(Condition cond, int waitingStep, int wokeStep, int cancelledStep) {
        return new Script<Void>()
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    expect(waitingStep);
                    return await(cond.waitForNotify());
                })
                .handle((result, error) -> {
                    assertTrue(cond.locked(), "waitForNotify() always ends holding the lock");
                    cond.release();
                    if (error != null) {
                        if (cancelledStep == 0) {
                            expectUnreached();
                        }
                        expect(cancelledStep);
                        assertInstanceOf(CancelledError.class, error);
                        throw error;
                    }
                    if (wokeStep == 0) {
                        expectUnreached();
                    }
                    expect(wokeStep);
                    assertEquals(Boolean.TRUE, result);
                    return null;
                });
    }

    @Test
    void testNotify_countsAndOrder() {
        Condition cond = new Condition();
        Task<?>[] ws = new Task<?>[4];
        runTest(new Script<Void>()
                .step(v -> {
                    ws[0] = spawn(waiter(cond, 1, 8, 0));
                    ws[1] = spawn(waiter(cond, 2, 10, 0));
                    ws[2] = spawn(waiter(cond, 3, 13, 0));
                    ws[3] = spawn(waiter(cond, 4, 14, 0));
                    return await(yield0());
                })
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    cond.notifyWaiters(2);
                    expect(5);
                    return await(yield0());
                })
                .step(v -> {
                    expect(6); // W0 and W1 are woken but queue on the lock main holds
                    cond.release();
                    expect(7);
                    return await(yield0());
                })
                .step(v -> {
                    expect(9);
                    return await(yield0());
                })
                .step(v -> {
                    expect(11);
                    return await(cond.acquire());
                })
                .step(v -> {
                    cond.notifyAllWaiters();
                    expect(12);
                    cond.release();
                    return await(gather(ws));
                })
                .step(v -> {
                    finish(15);
                    return null;
                }));
    }

    @Test
    void testNotify_withoutLockThrows() {
        Condition cond = new Condition();
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::notifyWaiters);
        assertEquals("cannot notify on un-acquired lock", e.getMessage());
        assertThrows(IllegalStateException.class, cond::notifyAllWaiters);
    }

    @Test
    void testWait_withoutLockFails() {
        Condition cond = new Condition();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runTest(cond.waitForNotify()));
        assertEquals("cannot wait on un-acquired lock", e.getMessage());
    }

    @Test
    void testCancelWhileWaiting_reacquiresBeforeRaising() {
        Condition cond = new Condition();
        Task<?>[] w = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    w[0] = spawn(waiter(cond, 1, 0, 6));
                    return await(yield0());
                })
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    expect(2);
                    w[0].cancel();
                    return await(yield0());
                })
                .step(v -> {
                    expect(3);
                    return await(yield0());
                })
                .step(v -> {
                    expect(4); // W is cancelled but waits for the lock main holds
                    assertFalse(w[0].isDone());
                    cond.release();
                    expect(5);
                    return await(w[0]);
                })
                .handle((v, error) -> {
                    finish(7);
                    assertInstanceOf(CancelledError.class, error);
                    assertTrue(w[0].isCancelled());
                    assertFalse(cond.locked());
                    return null;
                }));
    }

    @Test
    void testCancelAfterNotify_notifiesAnotherWaiter() {
        Condition cond = new Condition();
        Task<?>[] w = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    w[0] = spawn(waiter(cond, 1, 0, 4));
                    w[1] = spawn(waiter(cond, 2, 6, 0));
                    return await(yield0());
                })
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    cond.notifyWaiters(1);
                    w[0].cancel();
                    expect(3);
                    cond.release();
                    return await(yield0());
                })
                .step(v -> {
                    expect(5);
                    return await(yield0());
                })
                .step(v -> {
                    expect(7);
                    return await(yield0());
                })
                .step(v -> {
                    expect(8);
                    return await(gatherReturnExceptions(w));
                })
                .step(v -> {
                    finish(9);
                    assertTrue(w[0].isCancelled());
                    assertTrue(w[1].isDone() && !w[1].isCancelled());
                    return null;
                }));
    }

    @Test
    void testCancelWhileReacquiring_raisesOnceLockIsHeld() {
        Condition cond = new Condition();
        Task<?>[] w = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    w[0] = spawn(waiter(cond, 1, 0, 8));
                    return await(yield0());
                })
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    cond.notifyWaiters();
                    expect(2);
                    return await(yield0());
                })
                .step(v -> {
                    expect(3); // W woke and now waits to re-acquire the lock
                    w[0].cancel();
                    expect(4);
                    return await(yield0());
                })
                .step(v -> {
                    expect(5); // the cancel was caught; W re-acquires again
                    return await(yield0());
                })
                .step(v -> {
                    expect(6);
                    assertFalse(w[0].isDone());
                    cond.release();
                    expect(7);
                    return await(w[0]);
                })
                .handle((v, error) -> {
                    finish(9);
                    assertInstanceOf(CancelledError.class, error);
                    assertFalse(cond.locked());
                    return null;
                }));
    }

    @Test
    void testWaitFor_predicate() {
        Condition cond = new Condition();
        int[] state = {0};
        runTest(new Script<Void>()
                .step(v -> {
                    Task<Void> t = spawn(new Script<Void>()
                            .step(w -> await(cond.acquire()))
                            .step(w -> {
                                expect(1);
                                return await(cond.waitFor(() -> state[0] >= 2));
                            })
                            .step(result -> {
                                expect(4);
                                assertEquals(Boolean.TRUE, result);
                                assertEquals(2, state[0]);
                                cond.release();
                                return null;
                            }));
                    return await(yield0());
                })
                .step(v -> increment(cond, state, 2))
                .step(v -> increment(cond, state, 3))
                .step(v -> increment(cond, state, 5))
                .step(v -> {
                    finish(6);
                    return null;
                }));
    }

    /** async with cond: state += 1; notify_all(); then two sleep(0). */
    private Script.Await increment(Condition cond, int[] state, int step) {
        return await(new Script<Void>()
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    state[0]++;
                    cond.notifyAllWaiters();
                    expect(step);
                    cond.release();
                    return await(yield0());
                })
                .step(v -> await(yield0()))
                .coroutine());
    }

    @Test
    void testWaitFor_trueAtOnceDoesNotWait() {
        Condition cond = new Condition();
        runTest(new Script<Void>()
                .step(v -> await(cond.acquire()))
                .step(v -> {
                    expect(1);
                    spawn(new Script<Void>().step(w -> {
                        expect(3);
                        return null;
                    }));
                    return await(cond.waitFor(() -> true));
                })
                .step(result -> {
                    expect(2);
                    assertTrue(cond.locked());
                    cond.release();
                    return await(yield0());
                })
                .step(v -> {
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testSharedLock() {
        Lock lock = new Lock();
        Condition a = new Condition(lock);
        Condition b = new Condition(lock);
        runTest(new Script<Void>()
                .step(v -> await(a.acquire()))
                .step(v -> {
                    assertTrue(lock.locked());
                    assertTrue(b.locked());
                    b.notifyWaiters(); // allowed: the shared lock is held
                    b.release();
                    assertFalse(a.locked());
                    return null;
                }));
        assertThrows(NullPointerException.class, () -> new Condition(null));
    }
}
