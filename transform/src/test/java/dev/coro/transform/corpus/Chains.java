package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.transform.corpus.Awaits.v;

import dev.coro.Async;
import dev.coro.Coroutine;

/** Await sites sharing save and restore code (the rewriter's chains); shapes the fuzzer found. */
public final class Chains {
    private Chains() {
    }

    /**
     * Found by the differential fuzzer (seed 200073): the third await shares the first one's chain
     * [x, y, a0..a15], carrying x along although x is dead there. It is known in the method as
     * compiled, but not once rewritten: the second await does not keep x, so after resuming there
     * x holds nothing, and saving it failed verification ("Bad local variable type"). The sixteen
     * ints alive across every await make the sites share their saves (a chain is only worth it
     * when it spares enough of them).
     */
    @Async
    public static Coroutine<String> deadLocalDroppedByAnEarlierResume() {
        int x = 5;
        String y = "y";
        int a0 = 0;
        int a1 = 1;
        int a2 = 2;
        int a3 = 3;
        int a4 = 4;
        int a5 = 5;
        int a6 = 6;
        int a7 = 7;
        int a8 = 8;
        int a9 = 9;
        int a10 = 10;
        int a11 = 11;
        int a12 = 12;
        int a13 = 13;
        int a14 = 14;
        int a15 = 15;
        String s1 = await(v("a")); // keeps x, y and the a's
        String out = s1 + x + y; // last use of x and of the first y
        Object z = await(v("b")); // keeps out and the a's: x is not restored after it
        y = "y2" + z;
        String last = await(v("c")); // keeps y, out and the a's; x is dead and unknown after a resume
        return done(out + y + last + (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15));
    }
}
