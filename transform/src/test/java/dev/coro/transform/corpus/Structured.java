package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.taskGroup;
import static dev.coro.Coro.timeout;
import static dev.coro.transform.corpus.Awaits.i;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.TaskGroupException;
import dev.coro.TimeoutException;
import java.time.Duration;
import java.util.List;

/** The runtime's structured APIs with async lambda bodies, as DESIGN shows them. */
public final class Structured {
    private Structured() {
    }

    @Async
    static Coroutine<Integer> work(int k) {
        await(sleep(Duration.ofMillis(10L * k)));
        return done(k * k + await(i(0)));
    }

    @Async
    public static Coroutine<String> entry() {
        int base = await(i(1));
        int fromGroup;
        try {
            fromGroup = await(taskGroup(tg -> {
                Task<Integer> a = tg.spawn(work(2));
                Task<Integer> b = tg.spawn(work(3));
                int mine = await(i(base));
                await(sleep(Duration.ofMillis(50)));
                return done(a.result() + b.result() + mine);
            }));
        } catch (TaskGroupException group) {
            // asyncio's ExceptionGroup: the one failure inside, for the harness
            throw (RuntimeException) group.exceptions().get(0);
        }
        List<Object> all = await(gather(work(1), work(2)));
        String timedOut;
        try {
            await(timeout(Duration.ofMillis(5), t -> {
                await(sleep(Duration.ofSeconds(10)));
                return done("late");
            }));
            timedOut = "no";
        } catch (TimeoutException e) {
            timedOut = "timed out";
        }
        return done(fromGroup + " " + all + " " + timedOut);
    }
}
