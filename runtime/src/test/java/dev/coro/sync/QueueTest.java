package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CancelledError;
import dev.coro.LifoQueue;
import dev.coro.PriorityQueue;
import dev.coro.Queue;
import dev.coro.QueueEmpty;
import dev.coro.QueueFull;
import dev.coro.QueueShutDown;
import dev.coro.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timelines transcribed from CPython 3.13 runs of the same scenarios. */
class QueueTest extends SyncTestBase {

    private <T> Script<Void> putter(Queue<T> q, T item, int putStep, boolean full, int doneStep, int qsize) {
        return new Script<Void>()
                .step(v -> {
                    expect(putStep);
                    assertEquals(full, q.full());
                    return await(q.put(item));
                })
                .step(v -> {
                    expect(doneStep);
                    assertEquals(qsize, q.qsize());
                    return null;
                });
    }

    /** A get: "get" step, then "got" (item, qsize) or "failed" with the exception's type. */
    private <T> Script<T> getter(Queue<T> q, int getStep, int gotStep, T item, int qsize,
            Class<? extends Throwable> failure) {
        return new Script<T>()
                .step(v -> {
                    expect(getStep);
                    return await(q.get());
                })
                .handle((got, error) -> {
                    expect(gotStep);
                    if (failure != null) {
                        assertInstanceOf(failure, error);
                        throw error;
                    }
                    if (error != null) {
                        throw error;
                    }
                    assertEquals(item, got);
                    assertEquals(qsize, q.qsize());
                    return got;
                });
    }

    @Test
    void testFastPaths_doNotSuspend() {
        Queue<String> q = new Queue<>(1);
        runTest(new Script<Void>()
                .step(v -> {
                    expect(1);
                    spawn(new Script<Void>().step(w -> {
                        expect(3);
                        return null;
                    }));
                    return await(q.put("a")); // room: no suspension
                })
                .step(v -> {
                    assertTrue(q.full());
                    return await(q.get()); // an item: no suspension
                })
                .step(item -> {
                    expect(2);
                    assertEquals("a", item);
                    assertTrue(q.empty());
                    q.taskDone();
                    return await(q.join()); // nothing unfinished: no suspension
                })
                .step(v -> await(yield0()))
                .step(v -> {
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testPut_blocksWhileFull_putterFifo() {
        Queue<Integer> q = new Queue<>(1);
        Task<?>[] ts = new Task<?>[3];
        runTest(new Script<Void>()
                .step(v -> {
                    ts[0] = spawn(putter(q, 0, 1, false, 2, 1));
                    ts[1] = spawn(putter(q, 1, 3, true, 6, 1));
                    ts[2] = spawn(putter(q, 2, 4, true, 8, 1));
                    return await(yield0());
                })
                .step(v -> {
                    assertEquals(0, q.getNowait());
                    expect(5);
                    return await(q.get()); // empty now: waits for B's put
                })
                .step(item -> {
                    expect(7);
                    assertEquals(1, item);
                    return await(q.get());
                })
                .step(item -> {
                    expect(9);
                    assertEquals(2, item);
                    return await(gather(ts));
                })
                .step(v -> {
                    finish(10);
                    return null;
                }));
    }

    @Test
    void testGet_blocksWhileEmpty_getterFifo() {
        Queue<Integer> q = new Queue<>();
        Task<?>[] ts = new Task<?>[3];
        runTest(new Script<Void>()
                .step(v -> {
                    ts[0] = spawn(getter(q, 1, 5, 1, 1, null));
                    ts[1] = spawn(getter(q, 2, 6, 2, 0, null));
                    ts[2] = spawn(getter(q, 3, 9, 3, 0, null));
                    return await(yield0());
                })
                .step(v -> {
                    q.putNowait(1);
                    q.putNowait(2);
                    expect(4);
                    return await(yield0());
                })
                .step(v -> {
                    expect(7);
                    return await(q.put(3)); // unbounded: no suspension
                })
                .step(v -> {
                    expect(8);
                    return await(gather(ts));
                })
                .step(results -> {
                    finish(10);
                    assertEquals(List.of(1, 2, 3), results);
                    return null;
                }));
    }

    @Test
    void testWokenGetter_losesTheRaceAndQueuesAgain() {
        Queue<Integer> q = new Queue<>();
        Task<?>[] a = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    a[0] = spawn(getter(q, 1, 4, 2, 0, null));
                    return await(yield0());
                })
                .step(v -> {
                    q.putNowait(1); // wakes A...
                    assertEquals(1, q.getNowait()); // ...but main takes the item first
                    expect(2);
                    return await(yield0());
                })
                .step(v -> {
                    expect(3);
                    assertFalse(a[0].isDone());
                    assertEquals("Queue[maxsize=0 getters[1] tasks=1]", q.toString());
                    q.putNowait(2);
                    return await(a[0]);
                })
                .step(v -> {
                    finish(5);
                    return null;
                }));
    }

    @Test
    void testCancelledWokenGetter_passesTheWakeUpOn() {
        Queue<Integer> q = new Queue<>();
        Task<?>[] ts = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    ts[0] = spawn(getter(q, 1, 4, null, 0, CancelledError.class));
                    ts[1] = spawn(getter(q, 2, 5, 1, 0, null));
                    return await(yield0());
                })
                .step(v -> {
                    q.putNowait(1);
                    ts[0].cancel();
                    expect(3);
                    return await(gatherReturnExceptions(ts));
                })
                .step(results -> {
                    finish(6);
                    List<?> list = (List<?>) results;
                    assertInstanceOf(CancelledError.class, list.get(0));
                    assertEquals(1, list.get(1));
                    return null;
                }));
    }

    @Test
    void testCancelledBlockedPutter_leavesNoTrace() {
        Queue<Integer> q = new Queue<>(1);
        Task<?>[] p = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    q.putNowait(0);
                    p[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(1);
                                return await(q.put(1));
                            })
                            .handle((w, error) -> {
                                expect(3);
                                assertInstanceOf(CancelledError.class, error);
                                throw error;
                            }));
                    p[1] = spawn(putter(q, 2, 2, true, 5, 1));
                    return await(yield0());
                })
                .step(v -> {
                    p[0].cancel();
                    return await(yield0());
                })
                .step(v -> {
                    expect(4);
                    assertEquals("Queue[maxsize=1 items=[0] putters[1] tasks=1]", q.toString());
                    assertEquals(0, q.getNowait()); // wakes the live putter
                    return await(p[1]);
                })
                .step(v -> {
                    finish(6);
                    assertEquals(2, q.getNowait());
                    return null;
                }));
    }

    @Test
    void testTaskDoneAndJoin() {
        Queue<String> q = new Queue<>();
        Task<?>[] worker = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> await(q.join())) // nothing put: immediate
                .step(v -> {
                    expect(1);
                    q.putNowait("x");
                    q.putNowait("y");
                    int[] step = {2};
                    worker[0] = spawn(new Script<Void>()
                            .step(w -> await(q.get()))
                            .step(item -> {
                                expect(step[0]++);
                                assertEquals(step[0] == 3 ? "x" : "y", item);
                                return await(yield0());
                            })
                            .step(w -> {
                                q.taskDone();
                                expect(step[0]++);
                                return Script.awaitThen(q.get(), 1);
                            }));
                    return await(q.join());
                })
                .step(v -> {
                    expect(6);
                    worker[0].cancel();
                    IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
                    assertEquals("task_done() called too many times", e.getMessage());
                    finish(7);
                    return null;
                }));
    }

    @Test
    void testNowaitErrors() {
        Queue<String> q = new Queue<>(1);
        assertThrows(QueueEmpty.class, q::getNowait);
        q.putNowait("x");
        assertThrows(QueueFull.class, () -> q.putNowait("y"));
        assertEquals(1, q.qsize());
        assertEquals(1, q.maxsize());
        Queue<String> unbounded = new Queue<>(0);
        for (int i = 0; i < 100; i++) {
            unbounded.putNowait("i" + i);
        }
        assertFalse(unbounded.full());
    }

    @Test
    void testNullItems() {
        Queue<String> q = new Queue<>();
        q.putNowait(null);
        q.putNowait("a");
        assertEquals(2, q.qsize());
        assertNull(q.getNowait());
        assertEquals("a", q.getNowait());
        LifoQueue<String> lifo = new LifoQueue<>();
        lifo.putNowait(null);
        assertNull(lifo.getNowait());
        assertThrows(NullPointerException.class, () -> new PriorityQueue<String>().putNowait(null));
    }

    @Test
    void testShutdown_blockedPutterFails_getsDrainThenFail() {
        Queue<String> q = new Queue<>(1);
        Task<?>[] p = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    q.putNowait("a");
                    p[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(1);
                                return await(q.put("b"));
                            })
                            .handle((w, error) -> {
                                expect(3);
                                assertInstanceOf(QueueShutDown.class, error);
                                throw error;
                            }));
                    return await(yield0());
                })
                .step(v -> {
                    q.shutdown();
                    expect(2);
                    assertTrue(q.isShutdown());
                    assertEquals("Queue[maxsize=1 items=[a] tasks=1 shutdown]", q.toString());
                    return await(gatherReturnExceptions(p[0]));
                })
                .step(v -> {
                    assertEquals("a", q.getNowait()); // gets go on while items remain
                    return await(q.get());
                })
                .handle((v, error) -> {
                    finish(4);
                    assertInstanceOf(QueueShutDown.class, error);
                    assertThrows(QueueShutDown.class, () -> q.putNowait("c"));
                    assertThrows(QueueShutDown.class, q::getNowait);
                    assertEquals("Queue[maxsize=1 tasks=1 shutdown]", q.toString());
                    return null;
                }));
    }

    @Test
    void testShutdown_wakesBlockedGetters() {
        Queue<String> q = new Queue<>();
        Task<?>[] gs = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    gs[0] = spawn(getter(q, 1, 4, null, 0, QueueShutDown.class));
                    gs[1] = spawn(getter(q, 2, 5, null, 0, QueueShutDown.class));
                    return await(yield0());
                })
                .step(v -> {
                    q.shutdown(false);
                    expect(3);
                    return await(gatherReturnExceptions(gs));
                })
                .step(v -> {
                    finish(6);
                    return null;
                }));
    }

    @Test
    void testShutdownImmediate_dropsItemsAndCountsThemDone() {
        Queue<Integer> q = new Queue<>();
        Task<?>[] joiner = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    for (int i = 0; i < 3; i++) {
                        q.putNowait(i);
                    }
                    assertEquals(0, q.getNowait());
                    joiner[0] = spawn(new Script<Void>()
                            .step(w -> await(q.join()))
                            .step(w -> {
                                expect(3);
                                return null;
                            }));
                    return await(yield0());
                })
                .step(v -> {
                    q.shutdown(true);
                    expect(1);
                    assertEquals(0, q.qsize());
                    assertEquals("Queue[maxsize=0 tasks=1 shutdown]", q.toString());
                    return await(yield0());
                })
                .step(v -> {
                    assertFalse(joiner[0].isDone(), "the item got before the shutdown is not done yet");
                    assertThrows(QueueShutDown.class, q::getNowait);
                    q.taskDone();
                    assertThrows(IllegalStateException.class, q::taskDone);
                    expect(2);
                    return await(joiner[0]);
                })
                .step(v -> {
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testShutdownImmediate_releasesJoinAndFailsWokenGetter() {
        Queue<Integer> q = new Queue<>();
        Task<?>[] ts = new Task<?>[2];
        runTest(new Script<Void>()
                .step(v -> {
                    q.putNowait(1);
                    ts[0] = spawn(new Script<Void>()
                            .step(w -> {
                                expect(1);
                                return await(q.join());
                            })
                            .step(w -> {
                                expect(5);
                                return null;
                            }));
                    assertEquals(1, q.getNowait()); // got, not yet done
                    ts[1] = spawn(getter(q, 2, 4, null, 0, QueueShutDown.class));
                    return await(yield0());
                })
                .step(v -> {
                    q.putNowait(7); // wakes G, which has not run yet when...
                    q.taskDone();
                    q.shutdown(true); // ...7 is dropped: G fails, and join is released
                    expect(3);
                    assertEquals("Queue[maxsize=0 shutdown]", q.toString());
                    return await(gatherReturnExceptions(ts));
                })
                .step(v -> {
                    finish(6);
                    return null;
                }));
    }

    /** An item ordered by its key only, so that equal keys show heapq's order. */
    private record Keyed(int key, int n) {
        @Override
        public String toString() {
            return key + "" + n;
        }
    }

    @Test
    void testPriorityQueue_orderMatchesHeapq() {
        int[] keys = {3, 1, 2, 1, 3, 2, 1, 2, 3, 1, 1, 2, 3, 3, 2, 1};
        PriorityQueue<Keyed> q = new PriorityQueue<>(0, Comparator.comparingInt(Keyed::key));
        for (int n = 0; n < keys.length; n++) {
            q.putNowait(new Keyed(keys[n], n));
        }
        List<String> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait().toString());
        }
        // CPython 3.13: [q.get_nowait() for ...] with the same keys (see QueueTest's comment above)
        assertEquals(List.of("11", "16", "13", "19", "110", "115", "22", "214", "25", "27", "211", "313",
                "34", "38", "30", "312"), out);
    }

    @Test
    void testPriorityQueue_naturalOrderAndBlockingGet() {
        PriorityQueue<Integer> q = new PriorityQueue<>(2);
        runTest(new Script<Void>()
                .step(v -> {
                    Task<?> g = spawn(getter(q, 1, 3, 5, 1, null));
                    return await(yield0());
                })
                .step(v -> {
                    q.putNowait(9);
                    q.putNowait(5);
                    assertTrue(q.full());
                    expect(2);
                    return await(yield0());
                })
                .step(v -> {
                    assertEquals(9, q.getNowait());
                    finish(4);
                    return null;
                }));
    }

    @Test
    void testLifoQueue_order() {
        LifoQueue<Integer> q = new LifoQueue<>();
        for (int i = 0; i < 5; i++) {
            q.putNowait(i);
        }
        List<Integer> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNowait());
        }
        assertEquals(List.of(4, 3, 2, 1, 0), out);
        assertEquals("LifoQueue[maxsize=0 tasks=5]", q.toString()); // like CPython: no taskDone() yet
    }
}
