package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.Task;
import org.junit.jupiter.api.Test;

class EventTest extends SyncTestBase {

    private Script<Void> waiter(Event event, int waitingStep, int wokeStep) {
        return new Script<Void>()
                .step(v -> {
                    expect(waitingStep);
                    return await(event.waitUntilSet());
                })
                .step(result -> {
                    expect(wokeStep);
                    assertEquals(Boolean.TRUE, result);
                    return null;
                });
    }

    @Test
    void testWait_onSetEventDoesNotSuspend() {
        Event event = new Event();
        event.set();
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    spawn(new Script<Void>().step(w -> {
                        expect(3);
                        return null;
                    }));
                    return await(event.waitUntilSet());
                })
                .step(result -> {
                    expect(2);
                    assertEquals(Boolean.TRUE, result);
                    return await(yield0());
                })
                .step(v -> {
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testWait_isLazy() {
        Event event = new Event();
        runTest(new Script<Void>()
                .step(v -> {
                    Coroutine<Boolean> wait = event.waitUntilSet(); // made while clear
                    event.set();
                    expect(1);
                    return await(wait); // examined now: set, no suspension
                })
                .step(result -> {
                    finish(2);
                    assertEquals(Boolean.TRUE, result);
                    return null;
                }));
    }

    @Test
    void testSet_wakesAllInWaitOrder_clearDoesNotUnwake() {
        Event event = new Event();
        runTest(new Script<Void>()
                .step(v -> {
                    Task<?> a = spawn(waiter(event, 1, 5));
                    Task<?> b = spawn(waiter(event, 2, 6));
                    Task<?> c = spawn(waiter(event, 3, 7));
                    return await(yield0());
                })
                .step(v -> {
                    expect(4);
                    assertFalse(event.isSet());
                    event.set();
                    assertTrue(event.isSet());
                    event.clear(); // the three waiters are already woken
                    assertFalse(event.isSet());
                    return await(yield0());
                })
                .step(v -> {
                    expect(8);
                    // A new waiter after clear() blocks again.
                    spawn(waiter(event, 9, 11));
                    return await(yield0());
                })
                .step(v -> {
                    expect(10);
                    event.set();
                    event.set(); // already set: nothing
                    return await(yield0());
                })
                .step(v -> {
                    finish(12);
                    return null;
                }));
    }

    @Test
    void testCancelledWaiter_isRemovedAndOthersStillWake() {
        Event event = new Event();
        Task<?>[] b = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    spawn(waiter(event, 1, 6));
                    b[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(2);
                                return await(event.waitUntilSet());
                            })
                            .handle((w, error) -> {
                                expect(5);
                                assertInstanceOf(CancelledError.class, error);
                                throw error;
                            }));
                    spawn(waiter(event, 3, 7));
                    return await(yield0());
                })
                .step(v -> {
                    expect(4);
                    b[0].cancel();
                    return await(yield0());
                })
                .step(v -> {
                    assertTrue(b[0].isCancelled());
                    assertEquals("Event[unset, waiters:2]", event.toString());
                    event.set();
                    return await(yield0());
                })
                .step(v -> {
                    finish(8);
                    assertEquals("Event[set]", event.toString());
                    return null;
                }));
    }

    @Test
    void testWaiters_gatheredAllReturnTrue() {
        Event event = new Event();
        runTest(new Script<Void>()
                .step(v -> {
                    Coroutine<Boolean> w1 = event.waitUntilSet();
                    Coroutine<Boolean> w2 = event.waitUntilSet();
                    spawn(new Script<Void>().step(w -> {
                        expect(1);
                        event.set();
                        return null;
                    }));
                    return await(gather(w1, w2));
                })
                .step(results -> {
                    finish(2);
                    assertEquals(java.util.List.of(true, true), results);
                    return null;
                }));
    }
}
