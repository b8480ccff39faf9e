package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.Promise;
import dev.coro.Task;
import dev.coro.transform.Probe;
import java.time.Duration;
import java.util.List;

/** What a suspended coroutine keeps reachable: only what is live after the await. */
public final class Retention {
    private Retention() {
    }

    @Async
    static Coroutine<String> holder(Promise<String> first, Promise<String> second, StringBuilder payload) {
        String a = await(first);            // payload and second are live here
        String s = payload.toString();
        payload = null;                      // dropped: must not stay in the frame
        String b = await(second);
        return done(s + a + b);
    }

    @Async
    public static Coroutine<String> entry() {
        Promise<String> first = loop().createPromise();
        Promise<String> second = loop().createPromise();
        Coroutine<String> c = holder(first, second, new StringBuilder("p"));
        List<String> atCreation = Probe.savedRefs(c);
        Task<String> task = spawn(c);
        for (int i = 0; i < 10 && Probe.state(c) != 1; i++) {
            await(sleep(Duration.ZERO));
        }
        List<String> atFirst = Probe.savedRefs(c);
        first.setResult("a");
        for (int i = 0; i < 10 && Probe.state(c) != 2; i++) {
            await(sleep(Duration.ZERO));
        }
        List<String> atSecond = Probe.savedRefs(c);
        second.setResult("b");
        String result = await(task);
        List<String> atEnd = Probe.savedRefs(c);
        return done(atCreation + " " + atFirst + " " + atSecond + " " + atEnd + " " + result);
    }
}
