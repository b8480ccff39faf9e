import static dev.coro.Coro.await;
import static dev.coro.Coro.done;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.transform.corpus.Awaits;

/** An @Async method in the default package. */
public final class DefaultPackageCorpus {
    private DefaultPackageCorpus() {
    }

    @Async
    public static Coroutine<String> entry(String s) {
        return done(await(Awaits.v(s)) + "@default");
    }
}
