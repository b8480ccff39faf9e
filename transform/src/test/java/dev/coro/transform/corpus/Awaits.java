package dev.coro.transform.corpus;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.transform.Boom;
import dev.coro.transform.TestMode;
import java.time.Duration;

/** The awaitables the corpus awaits; their behaviour is chosen by {@link TestMode}. */
public final class Awaits {
    private Awaits() {
    }

    /** @param value the value @param <T> its type @return an awaitable of {@code value} (or a failing one) */
    public static <T> Awaitable<T> v(T value) {
        int n = ++TestMode.made;
        boolean fail = n == TestMode.failAt;
        switch (TestMode.kind) {
            case TestMode.COROUTINE:
                return fail ? failLater("fail " + n) : later(value);
            case TestMode.PROMISE:
                EventLoop loop = Coro.loop();
                Promise<T> promise = loop.createPromise();
                loop.callLater(Duration.ofMillis(n), () -> {
                    if (fail) {
                        promise.setException(new Boom("fail " + n));
                    } else {
                        promise.setResult(value);
                    }
                });
                return promise;
            default:
                return fail ? failNow("fail " + n) : done(value);
        }
    }

    /** @param value the value @return an awaitable of the int */
    public static Awaitable<Integer> i(int value) {
        return v(value);
    }

    @Async
    static <T> Coroutine<T> later(T value) {
        await(sleep(Duration.ZERO));
        return done(value);
    }

    @Async
    static <T> Coroutine<T> failNow(String message) {
        throw new Boom(message);
    }

    @Async
    static <T> Coroutine<T> failLater(String message) {
        await(sleep(Duration.ZERO));
        throw new Boom(message);
    }
}
