package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Barrier;
import dev.coro.BrokenBarrierError;
import dev.coro.CancelledError;
import dev.coro.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timelines transcribed from CPython 3.13 runs of the same scenarios. */
class BarrierTest extends SyncTestBase {

    /** A party: "arriving" step (with n_waiting then), then "passed" with its index, or "broken" with the message. */
    private Script<Integer> party(Barrier barrier, int arrivingStep, int nWaiting, int passedStep, int index,
            String brokenMessage) {
        return new Script<Integer>()
                .step(v -> {
                    expect(arrivingStep);
                    assertEquals(nWaiting, barrier.nWaiting());
                    return await(barrier.arrive());
                })
                .handle((result, error) -> {
                    expect(passedStep);
                    if (brokenMessage != null) {
                        assertInstanceOf(BrokenBarrierError.class, error);
                        assertEquals(brokenMessage, error.getMessage());
                        throw error;
                    }
                    if (error != null) {
                        throw error;
                    }
                    assertEquals(index, result);
                    assertEquals(0, barrier.nWaiting());
                    return result;
                });
    }

    @Test
    void testPhases_indicesAndReuse() {
        Barrier barrier = new Barrier(3);
        runTest(new Script<Void>()
                .step(v -> await(gather(
                        spawn(party(barrier, 1, 0, 5, 0, null)),
                        spawn(party(barrier, 2, 1, 6, 1, null)),
                        spawn(party(barrier, 3, 2, 4, 2, null)))))
                .step(results -> {
                    expect(7);
                    assertEquals(List.of(0, 1, 2), results);
                    assertEquals("Barrier[filling, waiters:0/3]", barrier.toString());
                    return await(gather(
                            spawn(party(barrier, 8, 0, 12, 0, null)),
                            spawn(party(barrier, 9, 1, 13, 1, null)),
                            spawn(party(barrier, 10, 2, 11, 2, null))));
                })
                .step(results -> {
                    finish(14);
                    assertEquals(List.of(0, 1, 2), results);
                    return null;
                }));
    }

    @Test
    void testDraining_blocksNewArrivals() {
        Barrier barrier = new Barrier(2);
        runTest(new Script<Void>()
                .step(v -> await(gather(
                        spawn(party(barrier, 1, 0, 6, 0, null)),
                        spawn(party(barrier, 2, 1, 3, 1, null)),
                        spawn(party(barrier, 4, 0, 8, 0, null)), // arrives while draining: n_waiting 0
                        spawn(party(barrier, 5, 0, 7, 1, null)))))
                .step(results -> {
                    finish(9);
                    assertEquals(List.of(0, 1, 0, 1), results);
                    return null;
                }));
    }

    @Test
    void testAbort_breaksWaitersAndArrivals_resetRepairs() {
        Barrier barrier = new Barrier(3);
        Task<?>[] ts = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    ts[0] = spawn(party(barrier, 1, 0, 5, 0, "Abort or reset of barrier"));
                    ts[1] = spawn(party(barrier, 2, 1, 6, 0, "Abort or reset of barrier"));
                    return await(yield0());
                })
                .step(v -> {
                    expect(3);
                    return await(barrier.abort());
                })
                .step(v -> {
                    expect(4);
                    assertTrue(barrier.isBroken());
                    assertEquals("Barrier[broken]", barrier.toString());
                    return await(gatherReturnExceptions(ts));
                })
                .step(results -> {
                    for (Object r : (List<?>) results) {
                        assertInstanceOf(BrokenBarrierError.class, r);
                    }
                    return await(party(barrier, 7, 0, 8, 0, "Barrier aborted").coroutine());
                })
                .handle((v, error) -> {
                    assertInstanceOf(BrokenBarrierError.class, error);
                    return await(barrier.reset());
                })
                .step(v -> {
                    assertFalse(barrier.isBroken());
                    assertEquals("Barrier[filling, waiters:0/3]", barrier.toString());
                    return await(gather(
                            spawn(party(barrier, 9, 0, 13, 0, null)),
                            spawn(party(barrier, 10, 1, 14, 1, null)),
                            spawn(party(barrier, 11, 2, 12, 2, null))));
                })
                .step(results -> {
                    finish(15);
                    assertEquals(List.of(0, 1, 2), results);
                    return null;
                }));
    }

    @Test
    void testReset_whileWaitingBreaksTheWaiters() {
        Barrier barrier = new Barrier(3);
        Task<?>[] ts = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    ts[0] = spawn(party(barrier, 1, 0, 5, 0, "Abort or reset of barrier"));
                    ts[1] = spawn(party(barrier, 2, 1, 6, 0, "Abort or reset of barrier"));
                    return await(yield0());
                })
                .step(v -> {
                    expect(3);
                    assertEquals("Barrier[filling, waiters:2/3]", barrier.toString());
                    return await(barrier.reset());
                })
                .step(v -> {
                    expect(4);
                    assertEquals("Barrier[resetting, waiters:0/3]", barrier.toString());
                    return await(gatherReturnExceptions(ts));
                })
                .step(results -> {
                    finish(7);
                    assertEquals("Barrier[filling, waiters:0/3]", barrier.toString());
                    return null;
                }));
    }

    @Test
    void testCancelledParty_leavesTheCount() {
        Barrier barrier = new Barrier(2);
        Task<?>[] a = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    a[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(1);
                                return await(barrier.arrive());
                            })
                            .handle((w, error) -> {
                                expect(3);
                                assertInstanceOf(CancelledError.class, error);
                                assertEquals(0, barrier.nWaiting());
                                throw error;
                            }));
                    return await(yield0());
                })
                .step(v -> {
                    expect(2);
                    assertEquals(1, barrier.nWaiting());
                    a[0].cancel();
                    return await(gatherReturnExceptions(a[0]));
                })
                .step(v -> {
                    expect(4);
                    assertEquals("Barrier[filling, waiters:0/2]", barrier.toString());
                    return await(gather(
                            spawn(party(barrier, 5, 0, 8, 0, null)),
                            spawn(party(barrier, 6, 1, 7, 1, null))));
                })
                .step(results -> {
                    finish(9);
                    assertEquals(List.of(0, 1), results);
                    return null;
                }));
    }

    @Test
    void testSingleParty_passesWithoutWaiting() {
        Barrier barrier = new Barrier(1);
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    spawn(new Script<Void>().step(w -> {
                        expect(3);
                        return null;
                    }));
                    return await(barrier.arrive());
                })
                .step(index -> {
                    expect(2);
                    assertEquals(0, index);
                    return await(yield0());
                })
                .step(v -> {
                    finish(4);
                    assertEquals(1, barrier.parties());
                    return null;
                }));
    }

    @Test
    void testParties_mustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertTrue(e.getMessage().startsWith("parties must be > 0"), e.getMessage());
    }
}
