package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.gather;

import dev.coro.Async;
import dev.coro.Awaitable;
import dev.coro.Coro;
import dev.coro.Coroutine;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The article's first section as a program: the same ten slow calls (200 ms each, served by a
 * local server) made one after another with the blocking {@code HttpClient.send} (about 2 s), then
 * all at once from one thread with {@code await(client.sendAsync(...))} (about 0.2 s).
 */
public final class SyncVsAsync {
    static final int CALLS = 10;
    static final long CALL_MILLIS = 200;

    private SyncVsAsync() {
    }

    static HttpRequest request(SlowServer server, int id) {
        return HttpRequest.newBuilder(server.slow(CALL_MILLIS, id)).GET().build();
    }

    /** Blocking: each call waits for its answer before the next one starts. */
    static List<String> blocking(HttpClient client, SlowServer server) throws IOException, InterruptedException {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            bodies.add(client.send(request(server, i), HttpResponse.BodyHandlers.ofString()).body());
        }
        return bodies;
    }

    @Async
    static Coroutine<String> fetch(HttpClient client, SlowServer server, int id) {
        HttpResponse<String> response = await(client.sendAsync(request(server, id), HttpResponse.BodyHandlers.ofString()));
        return done(response.body());
    }

    /**
     * Concurrent: ten coroutines each await their own call; the loop thread never blocks.
     *
     * @return the example
     */
    @Async
    static Coroutine<List<String>> concurrent(HttpClient client, SlowServer server) {
        List<Awaitable<String>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(fetch(client, server, i));
        }
        List<String> bodies = await(gather(calls));
        return done(bodies);
    }

    @Async
    static Coroutine<String> warmUp(HttpClient client, SlowServer server) {
        HttpResponse<String> response = await(client.sendAsync(HttpRequest.newBuilder(server.slow(0, "warm-up")).build(),
                HttpResponse.BodyHandlers.ofString()));
        return done(response.body());
    }

    /**
     * Runs both and prints their times.
     *
     * @param args unused
     * @throws Exception if the local server cannot start or a call fails
     */
    public static void main(String[] args) throws Exception {
        try (SlowServer server = SlowServer.start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // One quick call each way first, so that neither timing includes class loading and the
            // first connection.
            client.send(HttpRequest.newBuilder(server.slow(0, "warm-up")).build(), HttpResponse.BodyHandlers.ofString());
            Coro.run(warmUp(client, server));
            long start = System.nanoTime();
            List<String> sequential = blocking(client, server);
            System.out.printf("blocking HttpClient.send, one after another: %d calls in %.1f seconds, answers %s%n",
                    sequential.size(), (System.nanoTime() - start) / 1e9, sequential);
            start = System.nanoTime();
            List<String> concurrent = Coro.run(concurrent(client, server));
            System.out.printf("await(sendAsync(...)) from @Async code:      %d calls in %.1f seconds, answers %s%n",
                    concurrent.size(), (System.nanoTime() - start) / 1e9, concurrent);
        }
    }
}
