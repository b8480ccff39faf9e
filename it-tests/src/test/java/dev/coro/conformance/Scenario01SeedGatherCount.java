package dev.coro.conformance;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.sleep;
import static dev.coro.conformance.Py.secs;

import dev.coro.Async;
import dev.coro.Coroutine;

/** Port of {@code scenario_01_seed_gather_count.py}: article example 1, three gathered counts. */
public final class Scenario01SeedGatherCount extends Scenario {
    @Async
    Coroutine<Void> count() {
        print("One");
        await(sleep(sec(1)));
        print("Two");
        return done();
    }

    @Async
    Coroutine<Void> main() {
        await(gather(count(), count(), count()));
        return done();
    }

    @Override
    protected void script() {
        double s = perfCounter();
        asyncioRun(main());
        double elapsed = perfCounter() - s;
        print("executed in " + secs(elapsed) + " seconds.");
    }
}
