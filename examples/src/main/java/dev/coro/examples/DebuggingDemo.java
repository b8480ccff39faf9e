package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.spawn;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.Task;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/**
 * What Coro shows when something fails or hangs far from its cause: an async stack trace (an
 * exception thrown five awaits deep, with every awaiting method at its await line) and a task
 * dump (every live task: its coroutines at their await lines, what it waits on, who awaits it).
 */
public final class DebuggingDemo {
    private DebuggingDemo() {
    }

    @Async
    static Coroutine<String> readBlock(String path) {
        await(sleep(Duration.ofMillis(10)));
        throw new IllegalStateException("disk full while reading " + path);
    }

    @Async
    static Coroutine<String> readFile(String path) {
        String block = await(readBlock(path));
        return done(block);
    }

    @Async
    static Coroutine<String> loadConfig() {
        String text = await(readFile("/etc/app.conf"));
        return done(text);
    }

    @Async
    static Coroutine<String> startService() {
        String config = await(loadConfig());
        return done(config);
    }

    @Async
    static Coroutine<String> boot() {
        String service = await(startService());
        return done(service);
    }

    @Async
    static Coroutine<Void> pollForever(Event stop) {
        while (!stop.isSet()) {
            await(sleep(Duration.ofSeconds(5)));
        }
        return done();
    }

    @Async
    static Coroutine<Void> supervise(Task<Void> poller) {
        await(poller);
        return done();
    }

    /**
     * Prints an async stack trace, then a task dump.
     *
     * @return the example
     */
    @Async
    public static Coroutine<Void> main() {
        System.out.println("An exception thrown five awaits deep:");
        try {
            await(boot());
        } catch (IllegalStateException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace, true));
            System.out.print(trace);
        }

        Event stop = new Event();
        Task<Void> poller = spawn(pollForever(stop), "poller");
        Task<Void> supervisor = spawn(supervise(poller), "supervisor");
        await(sleep(Duration.ofMillis(100)));
        System.out.println();
        System.out.println("A task dump:");
        StringBuilder dump = new StringBuilder();
        Coro.dumpTasks(dump);
        System.out.print(dump);
        poller.cancel();
        supervisor.cancel();
        return done();
    }
}
