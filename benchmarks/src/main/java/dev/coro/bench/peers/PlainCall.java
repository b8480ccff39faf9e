package dev.coro.bench.peers;

import org.openjdk.jmh.annotations.CompilerControl;

/** Workload 1's floor: a plain (not inlined) method call returning a value, {@code n} times. */
public final class PlainCall {
    private PlainCall() {
    }

    /**
     * Calls {@link #value(Integer)} {@code n} times.
     *
     * @param one the value to return, boxed like an awaited result
     * @param n how many calls
     * @return the sum of the values
     */
    public static long calls(Integer one, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += value(one);
        }
        return s;
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static int value(Integer v) {
        return v;
    }
}
