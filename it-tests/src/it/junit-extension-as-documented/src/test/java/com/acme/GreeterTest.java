package com.acme;

import static dev.coro.Coro.*;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import dev.coro.Async;
import dev.coro.CancelledError;
import dev.coro.Coroutine;
import dev.coro.Task;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.junit.CoroTest;
import dev.coro.junit.TestClock;
import java.net.InetSocketAddress;
import java.time.Duration;

class GreeterTest {
    @CoroTest
    @Async
    Coroutine<Void> answersOnARealSocket(TestClock clock) {
        Server server = await(startServer(Greeter::greet, "127.0.0.1", 0));
        Connection client = await(openConnection("127.0.0.1", port(server)));
        client.writer().write("Ada\n");
        assertEquals("Hello, Ada!\n", new String(await(client.reader().read()), UTF_8));
        assertEquals(Duration.ZERO, clock.now());         // real I/O does not move the virtual clock
        client.writer().close();
        server.close();
        await(server.waitClosed());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> dropsASilentClientAfter30Seconds(TestClock clock) {
        Server server = await(startServer(Greeter::greet, "127.0.0.1", 0));
        Connection client = await(openConnection("127.0.0.1", port(server)));
        assertEquals("Bye.\n", new String(await(client.reader().read()), UTF_8));
        assertEquals(Duration.ofSeconds(30), clock.now()); // 30 s of virtual time, in milliseconds
        client.writer().close();
        server.close();
        await(server.waitClosed());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> cancellingServeForeverClosesTheServer(TestClock clock) {
        Server server = await(startServer(Greeter::greet, "127.0.0.1", 0));
        Task<Void> serving = spawn(server.serveForever());
        await(clock.advanceBy(Duration.ofHours(1)));
        assertTrue(server.isServing());
        serving.cancel();
        try {
            await(serving);
            fail("serveForever() was not cancelled");
        } catch (CancelledError expected) {
            assertFalse(server.isServing());
        }
        return done();
    }

    static int port(Server server) {
        return ((InetSocketAddress) server.addresses().get(0)).getPort();
    }
}
