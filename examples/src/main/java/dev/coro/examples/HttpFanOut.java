package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.timeout;
import static dev.coro.Coro.waitFor;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.TimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Many concurrent HTTP requests from one thread: 100 calls to a local server, each taking 50-250
 * ms, gathered under one deadline ({@code waitFor}); then a call to an endpoint that takes 5 s, given
 * up on after 300 ms with {@code timeout}. Everything runs on the event-loop thread; the JDK's
 * {@code HttpClient} does the I/O and {@code await(CompletionStage)} brings each answer back to it.
 */
public final class HttpFanOut {
    static final int REQUESTS = 100;

    private HttpFanOut() {
    }

    @Async
    static Coroutine<String> get(HttpClient client, java.net.URI uri) {
        HttpResponse<String> response = await(client.sendAsync(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()));
        return done(response.body());
    }

    /**
     * @param client the client
     * @param server the local server
     * @return the example
     */
    @Async
    static Coroutine<Void> fanOut(HttpClient client, SlowServer server) {
        double start = loop().time();
        List<Awaitable<String>> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            calls.add(get(client, server.slow(50 + (i * 37L) % 200, i)));
        }
        // All 100 at once, and all of them within 5 seconds or none.
        List<String> bodies = await(waitFor(gather(calls), Duration.ofSeconds(5)));
        System.out.printf("%d concurrent requests answered in %.1f seconds (the slowest takes 0.25 s); first %s, last %s%n",
                bodies.size(), loop().time() - start, bodies.get(0), bodies.get(bodies.size() - 1));

        start = loop().time();
        try {
            // timeout(...) bounds a block of awaits (asyncio.timeout); waitFor(...) above bounds one awaitable
            String body = await(timeout(Duration.ofMillis(300), deadline -> get(client, server.slow(5_000, "late"))));
            System.out.println("the slow call answered " + body + " (unexpected)");
        } catch (TimeoutException e) {
            System.out.printf("gave up on a 5-second call after %.1f seconds: TimeoutException%n", loop().time() - start);
        }
        return done();
    }

    /**
     * Runs the example against a local server.
     *
     * @param args unused
     * @throws Exception if the local server cannot start
     */
    public static void main(String[] args) throws Exception {
        try (SlowServer server = SlowServer.start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Coro.run(fanOut(client, server));
        }
    }
}
