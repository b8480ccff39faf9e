package dev.coro.io;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.startServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EchoSmokeTest {
    @Async
    static Coroutine<Void> echo(StreamReader reader, StreamWriter writer) {
        byte[] line;
        while ((line = await(reader.readLine())).length > 0) {
            writer.write(line);
            await(writer.drain());
        }
        return done();
    }

    @Async
    static Coroutine<String> client() {
        Server server = await(startServer(EchoSmokeTest::echo, "127.0.0.1", 0));
        int port = ((InetSocketAddress) server.addresses().get(0)).getPort();
        Connection c = await(openConnection("127.0.0.1", port));
        StringBuilder got = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            c.writer().write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] back = await(c.reader().readLine());
            got.append(new String(back, StandardCharsets.UTF_8));
        }
        c.writer().writeEof();
        byte[] rest = await(c.reader().read());
        got.append("rest=").append(rest.length);
        c.writer().close();
        await(c.writer().waitClosed());
        server.close();
        await(server.waitClosed());
        return done(got.toString());
    }

    @Test
    void echoOverLoopback() {
        assertEquals("line 0\nline 1\nline 2\nrest=0", Coro.run(client()));
    }

    @Test
    void echoOverLoopbackOnVirtualTime() {
        try (EventLoop loop = EventLoop.virtualTime()) {
            assertEquals("line 0\nline 1\nline 2\nrest=0", loop.runUntilComplete(client()));
        }
    }
}
