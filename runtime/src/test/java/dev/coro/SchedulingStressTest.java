package dev.coro;

import static dev.coro.Coro.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.spi.Frame;
import dev.coro.testing.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Bounded stress tests: many tasks, random cancellations and timeouts; cross-thread callbacks. */
class SchedulingStressTest {

    /** A worker: sleeps a random number of times; some fail; some swallow one cancellation. */
    private static Frame<Object> worker(int id, Random random, AtomicInteger finallyCount) {
        int sleeps = 1 + random.nextInt(3);
        boolean fails = random.nextInt(10) == 0;
        boolean swallows = random.nextInt(8) == 0;
        long[] delays = new long[sleeps];
        for (int i = 0; i < sleeps; i++) {
            delays[i] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(1000);
        }
        return new Frame<>(f -> {
            int i = Frame.getInt(f, 0);
            boolean swallowed = Frame.getInt(f, 1) != 0;
            for (;;) {
                try {
                    if (f.state == 1) {
                        f.state = 0;
                        f.resumeValue();
                        i++;
                    }
                    if (i == sleeps) {
                        finallyCount.incrementAndGet();
                        if (fails) {
                            throw new IllegalStateException("worker " + id + " failed");
                        }
                        return id;
                    }
                    Object r = Frame.await(sleep(Duration.ofMillis(delays[i])), f);
                    if (r == Frame.SUSPENDED) {
                        Frame.putInt(i, f, 0);
                        Frame.putInt(swallowed ? 1 : 0, f, 1);
                        f.state = 1;
                        return Frame.SUSPENDED;
                    }
                    i++;
                } catch (CancelledError e) {
                    if (swallows && !swallowed) {
                        swallowed = true;
                        i++;
                        continue;
                    }
                    finallyCount.incrementAndGet();
                    throw e;
                }
            }
        }, 0, 2);
    }

    @Test
    void hundredThousandTasksWithRandomCancellationsAndTimeoutsAllEnd() {
        int n = 100_000;
        Random random = new Random(20261125L);
        AtomicInteger ends = new AtomicInteger();
        List<Map<String, Object>> handled = new ArrayList<>();
        EventLoop loop = EventLoop.virtualTime();
        loop.setExceptionHandler((l, c) -> handled.add(c));
        List<Task<Object>> tasks = new ArrayList<>(n);
        int[] outcomes = new int[3]; // result, exception, cancelled
        Frame<Object> main = Script.of(
                in -> {
                    for (int i = 0; i < n; i++) {
                        Frame<Object> w = worker(i, random, ends);
                        int kind = random.nextInt(4);
                        if (kind == 0) {
                            tasks.add(Coro.spawn(Coro.waitFor(w, Duration.ofMillis(random.nextInt(1200)))));
                        } else {
                            tasks.add(Coro.spawn(w));
                        }
                    }
                    // Random cancellations, some before the first step, some later.
                    for (int i = 0; i < n / 4; i++) {
                        Task<Object> t = tasks.get(random.nextInt(n));
                        long at = random.nextInt(3) == 0 ? 0 : random.nextInt(1500);
                        if (at == 0) {
                            t.cancel("early");
                        } else {
                            Coro.loop().callLater(Duration.ofMillis(at), () -> t.cancel("late"));
                        }
                    }
                    return Coro.gatherReturnExceptions(tasks);
                },
                in -> {
                    for (Object o : (List<?>) in.get()) {
                        if (o instanceof CancelledError) {
                            outcomes[2]++;
                        } else if (o instanceof Throwable) {
                            outcomes[1]++;
                        } else {
                            outcomes[0]++;
                        }
                    }
                    assertTrue(Coro.allTasks().size() == 1, "only main is left: " + Coro.allTasks().size());
                    return Script.ret(null);
                });
        Coro.run(main, loop);
        assertEquals(n, outcomes[0] + outcomes[1] + outcomes[2]);
        for (Task<Object> t : tasks) {
            assertTrue(t.isDone());
        }
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0 && outcomes[2] > 0, java.util.Arrays.toString(outcomes));
        // Every exception was retrieved by gather: nothing reported as lost.
        assertEquals(List.of(), handled);
    }

    @Test
    void callSoonThreadsafeFromFourThreadsRunsEveryCallbackOnce() throws Exception {
        int threads = 4;
        int perThread = 100_000;
        EventLoop loop = EventLoop.create();
        int[] counts = new int[threads * perThread];
        int[] total = {0};
        Promise<Void> all = loop.createPromise();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int index = base + i;
                    loop.callSoonThreadsafe(() -> {
                        counts[index]++;
                        if (++total[0] == threads * perThread) {
                            all.setResult(null);
                        }
                    });
                }
            });
            thread.start();
            producers.add(thread);
        }
        loop.callSoon(start::countDown);
        loop.runUntilComplete(all);
        for (Thread thread : producers) {
            thread.join();
        }
        loop.close();
        for (int i = 0; i < counts.length; i++) {
            assertEquals(1, counts[i], "callback " + i);
        }
    }
}
