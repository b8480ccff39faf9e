package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;

/** Stack traces and debug information after an await. */
public final class Traces {
    private Traces() {
    }

    @Async
    public static Coroutine<String> throwsAfterAwait(String label) {
        int count = await(i(3));
        String message = label + count;
        if (count == 3) {
            throw new IllegalArgumentException(message); // THROW-LINE
        }
        return done(message + await(v("never")));
    }
}
