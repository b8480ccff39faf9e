package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.util.List;

/** Port of {@code scenario_07_create_task_ordering.py}: spawn never runs code synchronously. */
public final class Scenario07CreateTaskOrdering extends Scenario {
    @Async
    Coroutine<String> leaf(String name) {
        print(name + " runs");
        return done(name);
    }

    @Async
    Coroutine<List<Object>> parent(String name) {
        print(name + " runs, creating " + name + "1 and " + name + "2");
        Task<String> c1 = spawn(leaf(name + "1"));
        Task<String> c2 = spawn(leaf(name + "2"));
        print(name + " after creating children (children not started yet: " + Py.str(!c1.isDone()) + ")");
        return done(await(gather(c1, c2)));
    }

    @Async
    Coroutine<Void> main() {
        Task<String> t = spawn(leaf("quick"));
        print("quick created; done() immediately after create_task:", t.isDone());
        Task<List<Object>> a = spawn(parent("A"));
        Task<List<Object>> b = spawn(parent("B"));
        Task<String> fireAndForget = spawn(leaf("unawaited"));
        print("main: before first await");
        print("main: awaiting A and B");
        print("A result:", await(a));
        print("B result:", await(b));
        print("quick done:", t.isDone(), "unawaited done:", fireAndForget.isDone());
        return done();
    }

    @Override
    protected void script() {
        asyncioRun(main());
    }
}
