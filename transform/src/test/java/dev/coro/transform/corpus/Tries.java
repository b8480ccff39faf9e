package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.transform.Boom;
import java.util.ArrayList;
import java.util.List;

/** Awaits in try/catch/finally, nested tries, try-with-resources, catch and finally blocks. */
public final class Tries {
    private Tries() {
    }

    @Async
    public static Coroutine<String> tryCatch() {
        String s = "start";
        int n = 5;
        try {
            s = s + await(v("-a"));
            n += await(i(1));
        } catch (Boom e) {
            return done(s + " caught " + e.getMessage() + " n=" + n);
        }
        return done(s + " n=" + n);
    }

    @Async
    public static Coroutine<String> tryFinally() {
        List<String> log = new ArrayList<>();
        try {
            try {
                log.add("a");
                log.add(await(v("b")));
                log.add(await(v("c")));
            } finally {
                log.add("finally");
            }
        } catch (Boom e) {
            log.add("caught " + e.getMessage());
        }
        return done(String.join(",", log));
    }

    @Async
    public static Coroutine<String> nestedTry() {
        StringBuilder sb = new StringBuilder();
        try {
            sb.append(await(v("1")));
            try {
                sb.append(await(v("2")));
                try {
                    sb.append(await(v("3")));
                } catch (IllegalStateException wrongType) {
                    sb.append("never");
                } finally {
                    sb.append("f3");
                }
                sb.append(await(v("4")));
            } catch (Boom e) {
                sb.append("inner:").append(e.getMessage());
            }
            sb.append(await(v("5")));
        } catch (Boom e) {
            sb.append("outer:").append(e.getMessage());
        }
        return done(sb.toString());
    }

    /** A resource that records when it is closed. */
    public static final class Resource implements AutoCloseable {
        private final List<String> log;

        Resource(List<String> log, String name) {
            this.log = log;
            log.add("open " + name);
        }

        @Override
        public void close() {
            log.add("close");
        }
    }

    @Async
    @SuppressWarnings("try")
    public static Coroutine<String> tryWithResources() {
        List<String> log = new ArrayList<>();
        try {
            try (Resource r = new Resource(log, await(v("r")))) {
                log.add("use " + await(v("x")));
                log.add("use " + await(v("y")));
            }
        } catch (Boom e) {
            log.add("caught " + e.getMessage());
        }
        return done(String.join(",", log));
    }

    @Async
    public static Coroutine<String> awaitInCatch() {
        String result;
        try {
            int x = await(i(1));
            if (x == 1) {
                throw new IllegalStateException("thrown after " + x);
            }
            result = "no";
        } catch (IllegalStateException e) {
            String more = await(v(" then awaited in catch"));
            result = e.getMessage() + more;
        }
        return done(result);
    }

    @Async
    public static Coroutine<String> awaitInFinally() {
        List<String> log = new ArrayList<>();
        try {
            try {
                log.add(await(v("body")));
            } finally {
                log.add(await(v("finally")));
            }
        } catch (Boom e) {
            log.add("caught " + e.getMessage());
        }
        return done(String.join(",", log));
    }

    @Async
    @SuppressWarnings("finally")
    public static Coroutine<Integer> finallyWithReturn() {
        int x = 0;
        try {
            x = await(i(1));
            return done(x);
        } finally {
            int y = await(i(100));
            return done(x + y);
        }
    }

    @Async
    public static Coroutine<String> rethrowSameObject() {
        try {
            await(v("a"));
            return done("no exception");
        } catch (Boom e) {
            Boom again = e;
            await(v("b"));
            throw again;
        }
    }

    private static final Object LOCK = new Object();
    private static int counter;

    /**
     * Issue 13: the await is not under the monitor. javac's own catch-any handler, first in the
     * exception table, releases it; the finally's handler is never reached with it held.
     */
    @Async
    public static Coroutine<String> synchronizedThenAwaitInFinally(int start) {
        counter = start;
        String seen;
        try {
            synchronized (LOCK) {
                counter++;
            }
        } finally {
            seen = await(v("f")) + counter;
        }
        return done(seen);
    }

    /** The same with {@code catch}: the handler is never reached with the monitor held. */
    @Async
    public static Coroutine<String> synchronizedThenAwaitInCatch(boolean fail) {
        String seen = "";
        try {
            synchronized (LOCK) {
                if (fail) {
                    throw new IllegalStateException("inside");
                }
                seen += "in";
            }
        } catch (IllegalStateException e) {
            seen += await(v("caught ")) + e.getMessage();
        }
        return done(seen + await(v("!")));
    }
}
