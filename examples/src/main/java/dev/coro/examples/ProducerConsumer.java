package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Queue;
import dev.coro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded producer/consumer pipeline: one producer makes 8 jobs quickly, two slower workers take
 * them from a {@link Queue} of capacity 2. When the queue is full, {@code put} suspends the producer
 * (back-pressure) without blocking the thread; {@code join} waits until every job was processed.
 */
public final class ProducerConsumer {
    static final int JOBS = 8;

    private ProducerConsumer() {
    }

    @Async
    static Coroutine<Void> producer(Queue<Integer> queue, double start) {
        for (int job = 1; job <= JOBS; job++) {
            await(queue.put(job)); // suspends while the queue holds 2 jobs
            System.out.printf("%.2f producer: queued job %d (queue size %d)%n", loop().time() - start, job, queue.qsize());
            await(sleep(Duration.ofMillis(10)));
        }
        return done();
    }

    @Async
    static Coroutine<Void> worker(String name, Queue<Integer> queue, double start) {
        while (true) {
            int job = await(queue.get());
            await(sleep(Duration.ofMillis(50))); // the work
            System.out.printf("%.2f %s: finished job %d%n", loop().time() - start, name, job);
            queue.taskDone();
        }
    }

    /**
     * @return the example
     */
    @Async
    public static Coroutine<Void> pipeline() {
        double start = loop().time();
        Queue<Integer> queue = new Queue<>(2);
        List<Task<Void>> workers = new ArrayList<>();
        workers.add(spawn(worker("worker A", queue, start)));
        workers.add(spawn(worker("worker B", queue, start)));
        await(producer(queue, start));
        await(queue.join()); // every job taken and marked done
        for (Task<Void> worker : workers) {
            worker.cancel();
        }
        System.out.printf("%.2f all %d jobs done; workers cancelled%n", loop().time() - start, JOBS);
        return done();
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        Coro.run(pipeline());
    }
}
