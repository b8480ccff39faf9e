package dev.coro.transform.corpus;


import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;

/** User methods named await, done and join: not Coro's, so not rewritten as awaits. */
public final class UserNames {
    private UserNames() {
    }

    static int await(int x) {
        return x + 1;
    }

    static String done(String s, int n) {
        return s + n;
    }

    /** A class with its own await/join, like a latch. */
    static final class Latch {
        int await(Coroutine<Integer> ignored) {
            return 7;
        }

        String join() {
            return "joined";
        }
    }

    @Async
    public static Coroutine<String> entry() {
        int a = await(1);                       // UserNames.await(int)
        int b = new Latch().await(null);        // Latch.await(Coroutine)
        String c = done("d", a) + new Latch().join();
        int d = Coro.await(Awaits.i(5));        // Coro's: rewritten
        return Coro.done(a + "," + b + "," + c + "," + d);
    }

    /** Not @Async and calls only the user's await: left alone, no refusal. */
    public static int plain() {
        return await(41);
    }

    @Async
    public static Coroutine<String> doneOnly() {
        return Coro.done(done("x", 1));
    }
}
