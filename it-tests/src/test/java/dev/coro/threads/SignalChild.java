package dev.coro.threads;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.Task;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The child JVM of {@link SignalTest}; prints what its finally blocks do. Modes:
 * {@code sigint} (a main task and a worker, both sleeping), {@code stuck} (main's finally awaits
 * for an hour), {@code drain} (a server that stops accepting on SIGTERM and lets its clients finish).
 */
public final class SignalChild {
    private SignalChild() {
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    @Async
    static Coroutine<Void> worker() {
        try {
            await(sleep(Duration.ofHours(1)));
        } finally {
            say("worker finally");
        }
        return done();
    }

    @Async
    static Coroutine<Void> sleeper() {
        Task<Void> w = spawn(worker());
        try {
            say("READY");
            await(sleep(Duration.ofHours(1)));
        } finally {
            say("main finally");
        }
        return done();
    }

    @Async
    static Coroutine<Void> stuck() {
        try {
            say("READY");
            await(sleep(Duration.ofHours(1)));
        } finally {
            say("cleanup started");
            await(sleep(Duration.ofHours(1)));
            say("cleanup finished");
        }
        return done();
    }

    @Async
    static Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
        byte[] line = await(reader.readLine());
        say("request " + new String(line).trim());
        await(sleep(Duration.ofMillis(500))); // still working when SIGTERM comes
        writer.write(("done " + new String(line).trim() + "\n").getBytes());
        await(writer.drain());
        writer.close();
        return done();
    }

    @Async
    static Coroutine<Void> drainingServer() {
        Server server = await(Coro.startServer(SignalChild::handle, "127.0.0.1", 0));
        Event term = new Event();
        Coro.loop().addSignalHandler("SIGTERM", () -> {
            say("SIGTERM");
            term.set();
        });
        say("PORT " + ((InetSocketAddress) server.addresses().get(0)).getPort());
        await(term.waitUntilSet());
        server.close(); // stop accepting; the connections being served go on
        await(server.waitClosed());
        say("drained");
        return done();
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "sigint":
                Coro.run(sleeper());
                break;
            case "stuck":
                Coro.run(stuck());
                break;
            case "second-run": // Ctrl-C handling outlives a first run (its handler stays installed)
                Coro.run(done());
                Coro.run(sleeper());
                break;
            case "between-runs": // after a run, Ctrl-C is the JVM's again
                Coro.run(done());
                say("READY");
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                say("not interrupted");
                break;
            default:
                Coro.run(drainingServer());
                say("exit normally");
        }
    }
}
