package agentdemo;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import java.time.Duration;

/**
 * Issue 13, defect 1: a local whose type merges {@code StringBuilder} and {@code StringBuffer} (to
 * the package-private {@code java.lang.AbstractStringBuilder}) is alive across an await. Its
 * restore must not cast to a class this one may not name; under the agent it once threw
 * {@code IllegalAccessError}, while the plugin's output worked.
 */
public final class MergedBuilders {
    private MergedBuilders() {
    }

    @Async
    static Coroutine<String> v(String value) {
        await(sleep(Duration.ZERO)); // suspends once: the caller's locals are saved and restored
        return done(value);
    }

    @Async
    static Coroutine<String> merge(boolean cond) {
        // The issue's `var t = ...; t.append(got);` cannot be run even without Coro: javac 17 and
        // 25 call append through AbstractStringBuilder, which throws IllegalAccessError as plain
        // code. Typed as CharSequence, the analysed type of t is still the merged class.
        CharSequence t = cond ? new StringBuilder("b") : new StringBuffer("f");
        String got = await(v("!"));
        return done(t + got + t.length());
    }

    /**
     * @param args unused
     */
    public static void main(String[] args) {
        System.out.println(Coro.run(merge(true)) + " " + Coro.run(merge(false)));
    }
}
