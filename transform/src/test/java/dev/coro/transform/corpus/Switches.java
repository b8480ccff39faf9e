package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.concurrent.TimeUnit;

/** Awaits in classic (table and lookup), string and enum switches, and around them. */
public final class Switches {
    private Switches() {
    }

    @Async
    @SuppressWarnings("fallthrough")
    public static Coroutine<String> table(int k) {
        String r;
        switch (await(i(k))) {
            case 0:
                r = "zero" + await(v("!"));
                break;
            case 1:
                r = "one";
                // fall through
            case 2:
                r = "two-ish" + await(i(2));
                break;
            default:
                r = "other";
        }
        return done(r);
    }

    @Async
    public static Coroutine<String> lookup(int k) {
        switch (k) {
            case -1000:
                return done("low" + await(v("!")));
            case 5000:
                return done("high" + await(v("?")));
            default:
                return done("mid" + await(i(k)));
        }
    }

    @Async
    public static Coroutine<Integer> onString(String s) {
        int score;
        switch (await(v(s))) {
            case "alpha":
                score = await(i(1));
                break;
            case "beta":
                score = 2 * await(i(2));
                break;
            default:
                score = -1;
        }
        return done(score);
    }

    @Async
    public static Coroutine<String> onEnum(TimeUnit unit) {
        String s = switch (await(v(unit))) {
            case SECONDS -> "s" + await(i(1));
            case MILLISECONDS -> "ms" + await(i(1000));
            default -> {
                String name = await(v(unit.name().toLowerCase()));
                yield name;
            }
        };
        return done(s);
    }

    @Async
    public static Coroutine<Integer> switchExpressionOnStack(int k) {
        int r = 100 + switch (k) {
            case 1 -> await(i(10));
            case 2 -> {
                int a = await(i(20));
                yield a + await(i(1));
            }
            default -> 0;
        };
        return done(r);
    }
}
