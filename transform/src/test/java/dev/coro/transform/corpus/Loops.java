package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.List;

/** Awaits in every loop form. */
public final class Loops {
    private Loops() {
    }

    @Async
    public static Coroutine<Integer> forLoop(int n) {
        int sum = 0;
        for (int k = 0; k < n; k++) {
            sum += await(i(k));
        }
        return done(sum);
    }

    @Async
    public static Coroutine<Integer> forEver(int n) {
        int k = 0;
        int sum = 0;
        for (;;) {
            if (k == n) {
                break;
            }
            sum += await(i(k * 2));
            k++;
        }
        return done(sum);
    }

    @Async
    public static Coroutine<Long> whileLoop(int n) {
        long product = 1;
        int k = 1;
        while (k <= n) {
            product *= await(i(k));
            k++;
        }
        return done(product);
    }

    @Async
    public static Coroutine<String> doWhile(int n) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        do {
            sb.append(await(v("x" + k)));
            k++;
        } while (k < n);
        return done(sb.toString());
    }

    @Async
    public static Coroutine<String> forEachList(List<String> items) {
        String result = "";
        for (String item : items) {
            result = result + await(v(item.toUpperCase())) + ",";
        }
        return done(result);
    }

    @Async
    public static Coroutine<Double> forEachArray(double[] values) {
        double sum = 0;
        for (double d : values) {
            sum += await(v(d));
        }
        return done(sum);
    }

    @Async
    public static Coroutine<String> forEachObjectArray(String[] values) {
        String all = "";
        for (String s : values) {
            all += await(v(s));
        }
        return done(all);
    }

    @Async
    public static Coroutine<String> labelled(int n) {
        StringBuilder trace = new StringBuilder();
        outer:
        for (int a = 0; a < n; a++) {
            inner:
            for (int b = 0; b < n; b++) {
                int got = await(i(a * 10 + b));
                if (b > a) {
                    continue outer;
                }
                if (got == 22) {
                    break outer;
                }
                if (b == 1) {
                    continue inner;
                }
                trace.append(got).append(' ');
            }
            trace.append('|');
        }
        return done(trace.toString());
    }

    @Async
    public static Coroutine<Integer> nested(int n) {
        int total = 0;
        for (int a = 0; a < n; a++) {
            int row = 0;
            int b = 0;
            while (b < a) {
                row += await(i(b));
                b++;
            }
            total += row * await(i(a));
        }
        return done(total);
    }
}
