package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.Arrays;
import java.util.List;

/** Awaits inside expressions: conditionals, string concatenation, arrays, arguments, constructors. */
public final class Exprs {
    private Exprs() {
    }

    @Async
    public static Coroutine<String> conditional(boolean c) {
        String s = c ? await(v("yes")) : "no";
        int n = !c ? 1 : await(i(2)) + await(i(3));
        return done(s + n);
    }

    @Async
    public static Coroutine<String> andOr(boolean a) {
        boolean x = a && await(v(true));
        boolean y = a || await(v(false));
        boolean z = (await(v(a)) || await(v(!a))) && !await(v(false));
        return done(x + "," + y + "," + z);
    }

    @Async
    public static Coroutine<String> concat(String prefix, long l, char ch) {
        // invokedynamic makeConcatWithConstants with values on the stack across the awaits
        return done(prefix + l + await(v("+")) + ch + await(i(7)) + 'z' + await(v(2.5)));
    }

    @Async
    public static Coroutine<String> arrayInitializer() {
        int[] a = {1, await(i(2)), 3, await(i(4))};
        String[][] b = {{"x", await(v("y"))}, {await(v("z"))}};
        return done(Arrays.toString(a) + Arrays.deepToString(b));
    }

    static int sum3(int a, long b, String c) {
        return a + (int) b + c.length();
    }

    @Async
    public static Coroutine<Integer> argumentsOnStack(int x) {
        // x and 10L are on the stack when the third argument is awaited
        int r = sum3(x, 10L, await(v("abc")));
        r += sum3(await(i(1)), await(v(2L)), "d");
        return done(r);
    }

    /** A value class for the constructor shapes. */
    public static final class Pair {
        final Object left;
        final Object right;

        Pair(Object left, Object right) {
            this.left = left;
            this.right = right;
        }

        Pair(Object only) {
            this(only, null);
        }

        @Override
        public String toString() {
            return "(" + left + (right == null ? "" : "," + right) + ")";
        }
    }

    @Async
    public static Coroutine<String> constructorArgument() {
        Pair p = new Pair(await(v("a")));
        return done(p.toString());
    }

    @Async
    public static Coroutine<String> nestedConstructors() {
        Pair p = new Pair(await(v("a")), new Pair(await(v("b"))));
        Pair q = new Pair(new Pair(await(v("c")), new Pair(await(v("d")), await(v("e")))), "f");
        return done(p + "" + q);
    }

    @Async
    public static Coroutine<String> constructorWithConditional(boolean c) {
        Pair p = new Pair(c ? await(v("awaited")) : "plain", 1);
        return done(p.toString() + new StringBuilder(await(v("sb"))).reverse());
    }

    @Async
    public static Coroutine<String> constructorAsStatement(List<Object> sink) {
        new Pair(await(v("ignored")));
        sink.add(new Pair(1, await(v(2))));
        return done(sink.toString());
    }

    @Async
    public static Coroutine<Integer> compoundAssignment(int[] arr) {
        arr[0] += await(i(5));
        arr[arr.length - 1] *= await(i(3));
        return done(arr[0] + arr[arr.length - 1]);
    }

    /**
     * Issue 13: a switch expression containing a {@code try} makes javac spill the operand stack,
     * the uninitialised {@code new Pair} and its copy included, into locals.
     */
    @Async
    public static Coroutine<String> switchWithTryAsConstructorArgument(int k) {
        Pair p = new Pair(switch (k) {
            case 0 -> {
                try {
                    yield await(v(1));
                } catch (RuntimeException e) {
                    yield -1;
                }
            }
            default -> 3;
        });
        return done(p + await(v(".")));
    }

    /** The same with a {@code finally} in one arm and the await in another. */
    @Async
    public static Coroutine<String> switchWithFinallyArmAsConstructorArgument(int k, List<String> log) {
        Pair p = new Pair("k" + k, switch (k) {
            case 0 -> {
                try {
                    yield 1;
                } finally {
                    log.add("finally");
                }
            }
            default -> await(v(2)) + await(v(k));
        });
        return done(p + "" + log);
    }
}
