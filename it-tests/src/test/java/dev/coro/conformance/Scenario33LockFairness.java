package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.gatherReturnExceptions;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;
import static dev.coro.conformance.Py.repr;
import static dev.coro.conformance.Py.str;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Lock;
import dev.coro.Task;
import dev.coro.conformance.Errors.KeyError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Port of {@code scenario_33_lock_fairness.py}: FIFO waiters, no barging past a woken waiter, a
 * cancelled waiter is skipped. {@code async with lock:} is {@code await(lock.acquire()); try {...}
 * finally { lock.release(); }}.
 */
public final class Scenario33LockFairness extends Scenario {
    final List<String> order = new ArrayList<>();

    @Async
    Coroutine<Void> user(Lock lock, String name, int hold) {
        print(name + ": acquiring (locked=" + str(lock.locked()) + ")");
        try {
            await(lock.acquire());
            try {
                order.add(name);
                print(name + ": acquired");
                for (int i = 0; i < hold; i++) {
                    await(sleep(Duration.ZERO));
                }
                print(name + ": releasing");
            } finally {
                lock.release();
            }
        } catch (CancelledError e) {
            print(name + ": cancelled while waiting");
            throw e;
        }
        return done();
    }

    @Async
    Coroutine<Void> main() {
        Lock lock = new Lock();
        List<Task<Void>> ts = new ArrayList<>();
        for (String n : List.of("A", "B", "C")) {
            ts.add(spawn(user(lock, n, 2)));
        }
        // Poll once per iteration until A has released: at that moment the lock is unlocked, B's
        // waiter future is done but B has not run yet.
        while (!(order.equals(List.of("A")) && !lock.locked())) {
            await(sleep(Duration.ZERO));
        }
        print("main: A released; B woken but not running yet; locked =", lock.locked());
        await(user(lock, "MAIN", 0)); // acquire() from main right now: must queue behind B and C
        await(gather(ts.toArray(new Awaitable<?>[0])));
        print("order:", String.join(" ", order));

        order.clear();
        Task<Void> a = spawn(user(lock, "X", 3));
        Task<Void> b = spawn(user(lock, "Y", 0));
        Task<Void> c = spawn(user(lock, "Z", 0));
        await(sleep(Duration.ZERO));
        await(sleep(Duration.ZERO));
        b.cancel();
        await(gatherReturnExceptions(a, b, c));
        print("order with Y cancelled:", String.join(" ", order));

        try {
            await(lock.acquire());
            try {
                throw new KeyError("inside");
            } finally {
                lock.release();
            }
        } catch (KeyError e) {
            print("after exception in async with: locked =", lock.locked());
        }
        try {
            lock.release();
        } catch (IllegalStateException e) {
            print("release unlocked ->", repr(e));
        }
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
