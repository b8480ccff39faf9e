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
     * [x, y], carrying x along although x is dead there. It is known in the method as compiled,
     * but not once rewritten: the second await does not keep x, so after resuming there x holds
     * nothing, and saving it failed verification ("Bad local variable type").
     */
    @Async
    public static Coroutine<String> deadLocalDroppedByAnEarlierResume() {
        int x = 5;
        String y = "y";
        String s1 = await(v("a")); // keeps x and y
        String out = s1 + x + y; // last use of x and of the first y
        Object z = await(v("b")); // keeps out only: x is not restored after it
        y = "y2" + z;
        String last = await(v("c")); // keeps y and out; x is dead and unknown after a resume
        return done(out + y + last);
    }
}
