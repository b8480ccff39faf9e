package dev.coro.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Lock;
import dev.coro.Queue;
import dev.coro.QueueShutDown;
import dev.coro.Semaphore;
import dev.coro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bounded randomized stress (fixed seeds, virtual time): hundreds of tasks contend for a lock, a
 * semaphore and a bounded queue while a chaos task cancels random tasks at random moments. The
 * invariants (mutual exclusion, permit count, no item lost or duplicated, no waiter leaked, every
 * task ends) must hold whatever was cancelled where. A lost wake-up shows up as a deadlock, which
 * {@link SyncTestBase#runTest} turns into a failure.
 */
class SyncStressTest extends SyncTestBase {
    private static final int TASKS = 300;
    private static final int ROUNDS = 3;
    private static final int CANCELS = 150;

    /**
     * Sometimes cancels a random task right after a release/put/get woke a waiter, in the same
     * step: the window in which a woken waiter is cancelled before it runs and must pass the
     * wake-up on.
     */
    private static void maybeCancelSomeone(Random random, List<Task<?>> tasks) {
        if (!tasks.isEmpty() && random.nextInt(4) == 0) {
            tasks.get(random.nextInt(tasks.size())).cancel();
        }
    }

    private static Coroutine<Void> sleepMillis(Random random, int bound) {
        return Coro.sleep(Duration.ofMillis(random.nextInt(bound)));
    }

    /**
     * Main: spawns the workers, cancels {@link #CANCELS} random ones at random moments, then waits
     * for all of them.
     */
    private static Script<List<Object>> chaos(Random random, List<Task<?>> tasks, Script<?>[] workers) {
        int[] cancels = {0};
        return new Script<List<Object>>()
                .step(v -> {
                    for (Script<?> worker : workers) {
                        tasks.add(spawn(worker));
                    }
                    return Script.proceed();
                })
                .step(v -> {
                    if (cancels[0]++ < CANCELS) {
                        tasks.get(random.nextInt(tasks.size())).cancel();
                        return Script.awaitThen(sleepMillis(random, 3), 1);
                    }
                    return await(gatherReturnExceptions(tasks.toArray(new Task<?>[0])));
                });
    }

    /**
     * Every worker ended either normally or cancelled (a worker may even cancel itself), and both
     * outcomes happened.
     */
    private static void assertAllEnded(List<?> results) {
        int cancelled = 0;
        int completed = 0;
        for (Object r : results) {
            if (r instanceof CancelledError) {
                cancelled++;
            } else if (r instanceof Throwable) {
                throw new AssertionError("a worker failed", (Throwable) r);
            } else {
                completed++;
            }
        }
        assertTrue(completed > 0 && cancelled > 0, "completed " + completed + ", cancelled " + cancelled);
    }

    @Test
    void testLock_mutualExclusionUnderRandomCancellation() {
        Random random = new Random(1);
        Lock lock = new Lock();
        List<Task<?>> tasks = new ArrayList<>();
        int[] inside = {0};
        Script<?>[] workers = new Script<?>[TASKS];
        for (int i = 0; i < TASKS; i++) {
            int[] rounds = {ROUNDS};
            workers[i] = new Script<Void>()
                    .step(v -> await(lock.acquire()))
                    .step(v -> {
                        assertEquals(0, inside[0]++, "two tasks inside the lock");
                        return await(sleepMillis(random, 3));
                    })
                    .handle((v, error) -> {
                        inside[0]--;
                        lock.release();
                        maybeCancelSomeone(random, tasks);
                        if (error != null) {
                            throw error;
                        }
                        if (--rounds[0] > 0) {
                            return Script.awaitThen(lock.acquire(), 1);
                        }
                        return null;
                    });
        }
        List<Object> results = runTest(chaos(random, tasks, workers));
        assertAllEnded(results);
        assertFalse(lock.locked());
        assertEquals("Lock[unlocked]", lock.toString(), "no waiter left behind");
    }

    @Test
    void testSemaphore_permitCountUnderRandomCancellation() {
        Random random = new Random(2);
        Semaphore sem = new Semaphore(3);
        List<Task<?>> tasks = new ArrayList<>();
        int[] inside = {0};
        Script<?>[] workers = new Script<?>[TASKS];
        for (int i = 0; i < TASKS; i++) {
            int[] rounds = {ROUNDS};
            workers[i] = new Script<Void>()
                    .step(v -> await(sem.acquire()))
                    .step(v -> {
                        assertTrue(++inside[0] <= 3, "more than 3 tasks hold a permit");
                        return await(sleepMillis(random, 3));
                    })
                    .handle((v, error) -> {
                        inside[0]--;
                        sem.release();
                        maybeCancelSomeone(random, tasks);
                        if (error != null) {
                            throw error;
                        }
                        if (--rounds[0] > 0) {
                            return Script.awaitThen(sem.acquire(), 1);
                        }
                        return null;
                    });
        }
        List<Object> results = runTest(chaos(random, tasks, workers));
        assertAllEnded(results);
        assertEquals(3, sem.value());
        assertEquals("Semaphore[unlocked, value:3]", sem.toString(), "no waiter left behind");
    }

    @Test
    void testQueue_noItemLostOrDuplicatedUnderRandomCancellation() {
        Random random = new Random(3);
        Queue<Integer> q = new Queue<>(5);
        int[] putsDone = {0};
        Set<Integer> got = new HashSet<>();
        List<Task<?>> all = new ArrayList<>();
        List<Script<?>> producers = new ArrayList<>();
        List<Script<?>> consumers = new ArrayList<>();
        for (int i = 0; i < TASKS / 2; i++) {
            int[] rounds = {ROUNDS};
            int base = i * ROUNDS;
            producers.add(new Script<Void>()
                    .step(v -> await(q.put(base + rounds[0])))
                    .step(v -> {
                        putsDone[0]++;
                        maybeCancelSomeone(random, all);
                        if (--rounds[0] > 0) {
                            return Script.awaitThen(sleepMillis(random, 3), 0);
                        }
                        return null;
                    }));
            int[] gets = {ROUNDS};
            consumers.add(new Script<Void>()
                    .step(v -> await(q.get()))
                    .step(item -> {
                        assertTrue(got.add((Integer) item), "item " + item + " got twice");
                        q.taskDone();
                        maybeCancelSomeone(random, all);
                        if (--gets[0] > 0) {
                            return Script.awaitThen(q.get(), 1);
                        }
                        return null;
                    }));
        }
        List<Task<?>> producerTasks = new ArrayList<>();
        List<Task<?>> consumerTasks = new ArrayList<>();
        List<Object> results = new ArrayList<>();
        int[] cancels = {0};
        Task<?>[] drainer = new Task<?>[1];
        runTest(new Script<Void>()
                .step(v -> {
                    for (int i = 0; i < producers.size(); i++) {
                        producerTasks.add(spawn(producers.get(i)));
                        consumerTasks.add(spawn(consumers.get(i)));
                    }
                    all.addAll(producerTasks);
                    all.addAll(consumerTasks);
                    return Script.proceed();
                })
                .step(v -> {
                    if (cancels[0]++ < CANCELS) {
                        List<Task<?>> victims = random.nextBoolean() ? producerTasks : consumerTasks;
                        victims.get(random.nextInt(victims.size())).cancel();
                        return Script.awaitThen(sleepMillis(random, 3), 1);
                    }
                    // Every consumer may be gone by now, leaving producers blocked on a full
                    // queue: a drainer gets until the queue is shut down.
                    drainer[0] = spawn(new Script<Void>()
                            .step(w -> await(q.get()))
                            .step(item -> {
                                assertTrue(got.add((Integer) item), "item " + item + " got twice");
                                q.taskDone();
                                return Script.awaitThen(q.get(), 1);
                            }));
                    return await(gatherReturnExceptions(producerTasks.toArray(new Task<?>[0])));
                })
                .step(producerResults -> {
                    results.addAll((List<?>) producerResults);
                    // Consumers may wait for items that cancelled producers never put: they drain
                    // what is left, then get QueueShutDown.
                    q.shutdown();
                    return await(gatherReturnExceptions(consumerTasks.toArray(new Task<?>[0])));
                })
                .step(consumerResults -> {
                    for (Object r : (List<?>) consumerResults) {
                        if (!(r instanceof QueueShutDown)) {
                            results.add(r);
                        }
                    }
                    return await(drainer[0]);
                })
                .handle((v, error) -> {
                    assertTrue(error instanceof QueueShutDown, "the drainer ends when the queue is shut down and empty");
                    return null;
                }));
        assertEquals(0, q.qsize());
        int shutDown = producers.size() * 2 - results.size();
        assertAllEnded(results);
        assertTrue(shutDown >= 0);
        assertEquals(putsDone[0], got.size() + q.qsize(), "every item put is got once or still queued");
        String state = q.toString();
        assertFalse(state.contains("getters[") || state.contains("putters["), "waiter left behind: " + state);
    }
}
