package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.CancelledError;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The other await forms (CompletionStage, checked exceptions) and cancellation through the rewritten code. */
public final class Interop {
    private Interop() {
    }

    @Async
    public static Coroutine<String> stage(boolean complete, boolean fail) {
        CompletableFuture<String> future = new CompletableFuture<>();
        if (complete) {
            future.complete("done-already");
        } else {
            Coro.loop().callLater(Duration.ofSeconds(1), () -> {
                if (fail) {
                    future.completeExceptionally(new IllegalStateException("future failed"));
                } else {
                    future.complete("completed-later");
                }
            });
        }
        CompletionStage<String> stage = future;
        String prefix = "[";
        try {
            return done(prefix + await(stage) + "]");
        } catch (IllegalStateException e) {
            return done(prefix + "caught " + e.getMessage() + "]");
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Finishes with a checked exception (as a coroutine wrapping blocking I/O would). */
    @Async
    static Coroutine<String> ioFailure(boolean later) {
        if (later) {
            await(sleep(Duration.ofMillis(10)));
        }
        throw sneaky(new IOException("disk on fire"));
    }

    @Async
    public static Coroutine<String> checkedException(boolean later) {
        Awaitable<String> failing = ioFailure(later);
        try {
            return done(await(failing, IOException.class));
        } catch (IOException e) {
            return done("caught " + e.getMessage());
        }
    }

    @Async
    static Coroutine<String> sleeper(List<String> log) {
        try {
            log.add("sleeping");
            await(sleep(Duration.ofHours(1)));
            log.add("woke");
        } catch (CancelledError e) {
            log.add("cancelled");
            throw e;
        } finally {
            log.add("finally");
        }
        return done("slept");
    }

    @Async
    public static Coroutine<List<String>> cancellation() {
        List<String> log = new ArrayList<>();
        Task<String> task = spawn(sleeper(log));
        await(sleep(Duration.ZERO));
        task.cancel();
        try {
            await(task);
            log.add("not cancelled");
        } catch (CancelledError e) {
            log.add("caller saw the cancellation");
        }
        return done(log);
    }
}
