package dev.coro.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.staggeredRace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.StaggeredRaceResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** getaddrinfo off the loop, connecting to names, staggeredRace (Happy Eyeballs' engine). */
@Timeout(30)
class ConnectToNamesTest extends IoTestBase {
    @Async
    Coroutine<String> resolveAndConnect() {
        EventLoop loop = loop();
        List<InetSocketAddress> literal = await(loop.getaddrinfo("127.0.0.1", 80));
        List<InetSocketAddress> named = await(loop.getaddrinfo("localhost", 81));
        Server server = await(dev.coro.Coro.startServer((r, w) -> done(), "127.0.0.1", 0));
        Transport viaName = await(loop.createConnection(() -> new Protocol() { }, "localhost", port(server)));
        Transport viaEyeballs = await(loop.createConnection(() -> new Protocol() { }, "localhost", port(server),
                Duration.ofMillis(250), 1));
        Connection streams = await(dev.coro.Coro.openConnection("localhost", port(server),
                StreamOptions.defaults().happyEyeballs(Duration.ofMillis(250), 1)));
        String r = literal + " " + (named.size() >= 1 && named.stream().allMatch(a -> a.getPort() == 81))
                + " " + (viaName != null) + " " + (viaEyeballs != null && streams != null);
        streams.writer().close();
        viaName.close();
        viaEyeballs.close();
        server.close();
        await(server.waitClosed());
        return done(r);
    }

    @Test
    void getaddrinfo_literalAndName_connectByName_withAndWithoutHappyEyeballs() throws Exception {
        assertEquals("[/127.0.0.1:80] true true true", run(resolveAndConnect()));
    }

    @Async
    static Coroutine<String> attempt(double seconds, String outcome) {
        await(sleep(Duration.ofMillis((long) (seconds * 1000))));
        if (outcome.startsWith("fail")) {
            throw new IllegalStateException(outcome);
        }
        return done(outcome);
    }

    @Async
    static Coroutine<List<String>> race() {
        List<String> out = new ArrayList<>();
        EventLoop loop = loop();
        double start = loop.time();
        List<Supplier<Coroutine<String>>> attempts = List.of(
                () -> attempt(1.0, "slow"),      // starts at 0, would succeed at 1.0
                () -> attempt(0.0, "fail fast"), // starts at 0.25, fails at once: the next starts at once
                () -> attempt(0.1, "third"),     // starts at 0.25, succeeds at 0.35: wins
                () -> attempt(0.0, "never started"));
        StaggeredRaceResult<String> r = await(staggeredRace(attempts, Duration.ofMillis(250)));
        out.add(String.format("winner %s at index %d after %.2f s", r.winnerResult(), r.winnerIndex(), loop.time() - start));
        List<String> errors = new ArrayList<>();
        for (Throwable e : r.exceptions()) {
            errors.add(e == null ? "None" : e instanceof CancelledError ? "CancelledError" : e.getMessage());
        }
        out.add(String.valueOf(errors));
        StaggeredRaceResult<String> none = await(staggeredRace(List.of(() -> attempt(0, "fail 1"), () -> attempt(0, "fail 2")), null));
        out.add(none.winnerResult() + " " + none.winnerIndex() + " " + none.exceptions().size());
        return done(out);
    }

    @Test
    void staggeredRace_nextStartsOnFailureOrDelay_firstSuccessWins_othersCancelled() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            List<String> out = loop.runUntilComplete(race());
            assertEquals("winner third at index 2 after 0.35 s", out.get(0));
            // the first attempt (still sleeping) was cancelled; the winner's entry stays None
            assertTrue(out.get(1).startsWith("[") && out.get(1).contains("fail fast"), out.get(1));
            assertEquals("null null 2", out.get(2));
        }
    }

    @Async
    Coroutine<String> allRefused() throws IOException {
        java.nio.channels.ServerSocketChannel s = java.nio.channels.ServerSocketChannel.open();
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
        s.close();
        try {
            await(loop().createConnection(() -> new Protocol() { }, "127.0.0.1", port), IOException.class);
            return done("connected?");
        } catch (ConnectException e) {
            return done("ConnectException");
        }
    }

    @Test
    void connectingToAClosedPort_byAddressLiteral_throwsConnectException() throws Exception {
        assertEquals("ConnectException", run(allRefused()));
    }
}
