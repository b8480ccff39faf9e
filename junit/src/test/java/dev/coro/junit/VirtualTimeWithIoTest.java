package dev.coro.junit;

import static dev.coro.Coro.*;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The rules for a virtual clock with real I/O (DESIGN 4): the clock jumps only when no I/O event is
 * pending, and a loop with channels waiting to read, write or connect polls for real first; a
 * listening server alone does not hold the clock back.
 */
class VirtualTimeWithIoTest {

    @Async
    static Coroutine<Void> greet(StreamReader reader, StreamWriter writer) {
        String name = new String(await(reader.readLine()), UTF_8).strip();
        writer.write("Hello, " + name + "!\n");
        await(writer.drain());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> aReplyOnARealSocketComesBeforeAVirtualTimeout(TestClock clock) {
        Server server = await(startServer(VirtualTimeWithIoTest::greet, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        for (String name : new String[] {"Ada", "Grace", "Barbara"}) {
            Connection connection = await(openConnection("127.0.0.1", port));
            connection.writer().write(name + "\n");
            byte[] reply = await(waitFor(connection.reader().readLine(), Duration.ofSeconds(5)));
            assertEquals("Hello, " + name + "!\n", new String(reply, UTF_8));
            connection.writer().close();
            await(connection.writer().waitClosed());
        }
        // real I/O took real time, not virtual time: the 5 s timeouts never fired
        assertEquals(Duration.ZERO, clock.now());
        server.close();
        await(server.waitClosed());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> anHourOfVirtualSleepWhileAServerListensEndsFast(TestClock clock) {
        Server server = await(startServer(VirtualTimeWithIoTest::greet, "127.0.0.1", 0));
        long started = System.nanoTime();
        await(sleep(Duration.ofHours(1)));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(Duration.ofHours(1), clock.now());
        assertTrue(tookMillis < 2_000, "an hour of virtual time with a listening server took " + tookMillis + " ms");
        server.close();
        await(server.waitClosed());
        return done();
    }

    @CoroTest
    @Async
    Coroutine<Void> aServerStillListeningIsNoDeadlock_butTheTimeLimitHolds(TestClock clock) {
        Server server = await(startServer(VirtualTimeWithIoTest::greet, "127.0.0.1", 0));
        // a channel waiting for I/O: the loop is not idle, it waits for the network
        assertFalse(dev.coro.Coro.loop().isIdle());
        server.close();
        await(server.waitClosed());
        assertEquals(Duration.ZERO, clock.now());
        return done();
    }
}
