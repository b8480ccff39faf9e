package dev.coro.internal.io;

import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Handle;
import dev.coro.Promise;
import dev.coro.StaggeredRaceResult;
import dev.coro.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * asyncio's {@code staggered_race}: start the first attempt; start the next one when the
 * previous fails or after {@code delay}, whichever comes first; the first attempt to succeed
 * wins and the others are cancelled. A loser that succeeded anyway (it finished in the same
 * iteration as the winner) is handed to {@code discard} (e.g. to close its connection).
 *
 * <p>Cancelling the returned promise cancels every running attempt.
 *
 * @param <T> the result type
 */
public final class StaggeredRace<T> {
    private final EventLoop loop;
    private final List<? extends Supplier<? extends Coroutine<? extends T>>> attempts;
    private final Duration delay;
    private final Consumer<? super T> discard;
    private final Promise<StaggeredRaceResult<T>> outcome;
    private final List<Task<? extends T>> running = new ArrayList<>();
    private final List<Throwable> exceptions = new ArrayList<>();
    private Handle timer;
    private int started;
    private int finished;
    private boolean won;

    private StaggeredRace(EventLoop loop, List<? extends Supplier<? extends Coroutine<? extends T>>> attempts,
            Duration delay, Consumer<? super T> discard) {
        this.loop = loop;
        this.attempts = attempts;
        this.delay = delay;
        this.discard = discard;
        this.outcome = loop.createPromise();
    }

    /**
     * Starts a race.
     *
     * @param loop the loop
     * @param attempts makes each attempt's coroutine, in order
     * @param delay how long to wait before starting the next attempt, or null to wait for each to fail
     * @param discard receives the results of losers that succeeded anyway, or null
     * @param <T> the result type
     * @return the promise of the outcome
     */
    public static <T> Promise<StaggeredRaceResult<T>> start(EventLoop loop,
            List<? extends Supplier<? extends Coroutine<? extends T>>> attempts, Duration delay, Consumer<? super T> discard) {
        StaggeredRace<T> race = new StaggeredRace<>(loop, attempts, delay, discard);
        race.outcome.addDoneCallback(p -> {
            if (p.isCancelled()) {
                race.cancelAll();
            }
        });
        if (attempts.isEmpty()) {
            race.outcome.setResult(new StaggeredRaceResult<>(null, null, List.of()));
        } else {
            race.startNext();
        }
        return race.outcome;
    }

    private void startNext() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (won || outcome.isDone() || started >= attempts.size()) {
            return;
        }
        int index = started++;
        exceptions.add(null);
        Task<? extends T> task = loop.spawn(attempts.get(index).get());
        running.add(task);
        task.addDoneCallback(t -> done(index, t));
        if (delay != null && started < attempts.size()) {
            timer = loop.callLater(delay, this::startNext);
        }
    }

    private void done(int index, Promise<? extends T> task) {
        finished++;
        if (task.isCancelled()) {
            exceptions.set(index, new CancelledError());
        } else if (task.exception() != null) {
            exceptions.set(index, task.exception());
        } else if (!won && !outcome.isDone()) {
            won = true;
            if (timer != null) {
                timer.cancel();
            }
            cancelAll();
            outcome.setResult(new StaggeredRaceResult<>(task.result(), index, Collections.unmodifiableList(exceptions)));
            return;
        } else {
            if (discard != null) {
                discard.accept(task.result());
            }
            return;
        }
        if (won || outcome.isDone()) {
            return;
        }
        if (started < attempts.size()) {
            startNext(); // a failure starts the next attempt at once
        } else if (finished == started) {
            outcome.setResult(new StaggeredRaceResult<>(null, null, Collections.unmodifiableList(exceptions)));
        }
    }

    private void cancelAll() {
        for (Task<? extends T> t : running) {
            if (!t.isDone()) {
                t.cancel();
            }
        }
    }
}
