package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.i;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;
import java.util.Arrays;

/** Every kind of value in locals and on the operand stack across awaits. */
public final class Values {
    private Values() {
    }

    @Async
    public static Coroutine<String> primitivesInLocals(boolean z, byte b, char c, short s, int i, long l, float f, double d) {
        Object nothing = null;
        String none = null;
        await(i(0));
        boolean z2 = !z;
        byte b2 = (byte) (b + 1);
        char c2 = (char) (c + 1);
        short s2 = (short) (s + 1);
        long l2 = l * 3;
        float f2 = f / 2;
        double d2 = d * d;
        int x = await(i(1));
        return done(z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d + " | "
                + z2 + " " + b2 + " " + c2 + " " + s2 + " " + l2 + " " + f2 + " " + d2 + " " + x
                + " " + nothing + " " + none);
    }

    static String all(boolean z, byte b, char c, short s, int i, long l, float f, double d, Object o, String n) {
        return z + " " + b + " " + c + " " + s + " " + i + " " + l + " " + f + " " + d + " " + o + " " + n;
    }

    @Async
    public static Coroutine<String> primitivesOnStack(boolean z, byte b, char c, short s, int i, long l, float f, double d) {
        // every kind is on the operand stack when the last argument is awaited; null too
        return done(all(z, b, c, s, i, l, f, d, null, await(v("last"))));
    }

    @Async
    public static Coroutine<String> longsAndDoubles() {
        long a = Long.MAX_VALUE;
        double b = -0.0;
        long c = a - await(v(1L));
        double e = b + await(v(Double.MIN_VALUE));
        long f = await(v(Long.MIN_VALUE)) + c + (long) (e * 0) + a * 0;
        return done(a + " " + b + " " + c + " " + e + " " + f + " " + Double.isNaN(await(v(Double.NaN))));
    }

    @Async
    public static Coroutine<String> nulls() {
        String s = null;
        Object o = await(v(null));
        int[] arr = null;
        String t = s == null ? await(v("was null")) : s;
        return done(s + " " + o + " " + arr + " " + t + " " + (o == await(v(null))));
    }

    @Async
    public static Coroutine<String> arrays() {
        int[] one = {1, 2};
        long[][] two = {{3L}, {4L, 5L}};
        String[][][] three = new String[1][2][await(i(1))];
        three[0][1][0] = "deep";
        Object[][][][] four = new Object[await(i(1))][1][1][];
        four[0][0][0] = new Object[] {await(v("four"))};
        char[] chars = await(v(new char[] {'o', 'k'}));
        return done(Arrays.toString(one) + Arrays.deepToString(two) + Arrays.deepToString(three)
                + Arrays.deepToString(four) + new String(chars));
    }

    @Async
    public static Coroutine<Integer> multiDimensionalOnStack() {
        int[][] grid = new int[2][3];
        grid[1][2] = await(i(9));
        return done(grid[1][await(i(2))] + grid.length * 10);
    }

    static String join(String sep, Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (sb.length() > 0) {
                sb.append(sep);
            }
            sb.append(p);
        }
        return sb.toString();
    }

    @Async
    public static Coroutine<String> varargsOnStack() {
        // the varargs array is being filled when the awaits happen
        return done(join("-", 1, await(v("two")), 3L, await(i(4))));
    }

    @Async
    public static Coroutine<String> varargsMethod(String head, int... rest) {
        int sum = 0;
        for (int r : rest) {
            sum += await(i(r));
        }
        return done(head + sum + rest.length);
    }
}
