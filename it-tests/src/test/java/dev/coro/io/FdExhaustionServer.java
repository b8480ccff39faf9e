package dev.coro.io;

import dev.coro.EventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The child process of {@link FdExhaustionTest}: an echo server on a protocol, printing its port
 * and every exception-handler call, serving until killed.
 */
public final class FdExhaustionServer {
    private FdExhaustionServer() {
    }

    /** Echoes whatever arrives. */
    static final class Echo implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    public static void main(String[] args) {
        EventLoop loop = EventLoop.create();
        loop.setExceptionHandler((l, context) -> {
            System.out.println("HANDLER: " + context.get("message") + " / " + context.get("exception"));
            System.out.flush();
        });
        Server server = loop.runUntilComplete(loop.createServer(Echo::new, "127.0.0.1", 0));
        System.out.println("PORT " + ((InetSocketAddress) server.addresses().get(0)).getPort());
        System.out.flush();
        loop.runForever();
    }
}
