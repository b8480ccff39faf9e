package it.bad;

import static dev.coro.Coro.await;

public final class Forgetful {
    private Forgetful() {
    }

    /** Forgot @Async (and the Coroutine return type). */
    public static void nap() {
        await(Fine.nap()); // LINE-OF-THE-BAD-AWAIT
    }
}
