package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.sleep;
import static dev.coro.Coro.startServer;

import dev.coro.Async;
import dev.coro.Coro;
import dev.coro.Coroutine;
import dev.coro.Event;
import dev.coro.TimeoutException;
import dev.coro.io.Connection;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A server that drains its clients on SIGTERM: on the signal ({@code loop.addSignalHandler}) it
 * stops accepting, tells every connected client that it is shutting down, waits for them to
 * finish their requests and disconnect (at most a grace period, then it cuts off the rest), and
 * returns from main, so the JVM exits normally. Each line a client sends is a request, answered
 * after 200 ms of work; a request in progress when SIGTERM comes is still answered.
 *
 * <pre>
 * java -jar coro-examples.jar drain                       # demo: two clients, then SIGTERM to itself
 * java -jar coro-examples.jar drain --port 7070 [--grace 5]   # serve until SIGTERM: kill -TERM PID
 * </pre>
 *
 * Printed, in order: {@code SIGTERM: no longer accepting; telling N clients}, one
 * {@code client ... left} line per client, then {@code drained: N finished, M cut off}.
 */
public final class DrainingServer {
    /** The line every connected client gets on SIGTERM. */
    static final String SHUTTING_DOWN = "server shutting down: finish your request, then disconnect";

    /** How long one request takes. */
    static final Duration WORK = Duration.ofMillis(200);

    private final Set<StreamWriter> connected = new LinkedHashSet<>();
    private final Set<StreamWriter> cutOff = new LinkedHashSet<>();
    private final Event allGone = new Event();
    private boolean draining;
    private int finished;

    private DrainingServer() {
        allGone.set(); // nobody connected yet
    }

    /**
     * One client: each line is a request, answered after {@link #WORK}, until the client
     * disconnects. Runs on the loop, like every handler, so the set of clients needs no lock.
     */
    @Async
    private Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
        connected.add(writer);
        allGone.clear();
        String who = String.valueOf(writer.getExtraInfo("peername"));
        try {
            writer.write("welcome: one request a line\n");
            if (draining) {
                writer.write(SHUTTING_DOWN + "\n"); // accepted just before the listener closed
            }
            byte[] line;
            while ((line = await(reader.readLine())).length > 0) {
                await(sleep(WORK));
                writer.write("done " + new String(line, StandardCharsets.UTF_8).strip() + "\n");
                await(writer.drain());
            }
            if (draining && !cutOff.contains(writer)) { // an aborted connection reads as EOF too
                finished++;
                System.out.println("client " + who + " left");
            }
        } finally {
            connected.remove(writer);
            if (connected.isEmpty()) {
                allGone.set();
            }
        }
        return done();
    }

    /** The SIGTERM handler's work, on the loop thread: stop accepting, tell the clients. */
    private void beginDrain(Server server, Event term) {
        if (draining) {
            return; // a second SIGTERM while draining changes nothing
        }
        draining = true;
        server.close(); // no new connections; the ones being served go on
        System.out.println("SIGTERM: no longer accepting; telling " + connected.size() + " clients");
        for (StreamWriter writer : connected) {
            writer.write(SHUTTING_DOWN + "\n");
        }
        term.set();
    }

    /**
     * Serves until SIGTERM, then drains: waits for the clients at most {@code grace}, cuts off
     * the rest, and returns.
     *
     * @param options host and port; with neither, the demo
     * @param grace how long the clients get to leave
     * @return the example
     */
    @Async
    static Coroutine<Void> main(ServerOptions options, Duration grace) {
        DrainingServer state = new DrainingServer();
        Server server = await(startServer(state::handle, options.host(), options.port()));
        Event term = new Event();
        Coro.loop().addSignalHandler("SIGTERM", () -> state.beginDrain(server, term));
        try {
            int port = EchoServer.port(server);
            if (options.serve()) {
                System.out.println("draining server on " + options.host() + ":" + port + " (pid "
                        + ProcessHandle.current().pid() + "); stop it with kill -TERM "
                        + ProcessHandle.current().pid());
            } else {
                Coro.spawn(demoClients(port));
            }
            await(term.waitUntilSet());
            try {
                await(Coro.waitFor(state.allGone.waitUntilSet(), grace), TimeoutException.class);
            } catch (TimeoutException e) {
                // Order is important here: copy first, each handler removes itself as it ends.
                state.cutOff.addAll(state.connected);
                for (StreamWriter writer : state.cutOff) {
                    writer.transport().abort();
                }
            }
            await(server.waitClosed()); // as asyncio 3.12+: returns once every connection is closed
            System.out.println("drained: " + state.finished + " finished, " + state.cutOff.size() + " cut off");
        } finally {
            Coro.loop().removeSignalHandler("SIGTERM");
        }
        return done();
    }

    /**
     * The demo's clients: two connect, one sends a request, then the demo sends SIGTERM to its own
     * process (a real signal, with {@code kill}); each client leaves once told, the first after
     * its answer.
     */
    @Async
    private static Coroutine<Void> demoClients(int port) {
        Connection busy = await(openConnection("127.0.0.1", port));
        Connection idle = await(openConnection("127.0.0.1", port));
        await(busy.reader().readLine()); // welcome
        await(idle.reader().readLine());
        busy.writer().write("report\n");
        await(busy.writer().drain());
        await(sleep(Duration.ofMillis(50))); // the request is being worked on
        Process kill;
        try {
            kill = new ProcessBuilder("kill", "-TERM", Long.toString(ProcessHandle.current().pid())).start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("DrainingServer.demoClients: the demo sends SIGTERM with kill,"
                    + " which did not start (not a Unix system?); run it with --port 7070 and send SIGTERM yourself", e);
        }
        System.out.println("demo: kill -TERM " + ProcessHandle.current().pid() + " (exit " + await(kill.onExit()).exitValue() + ")");
        Coro.spawn(leaveWhenTold("idle", idle));
        await(leaveWhenTold("busy", busy));
        return done();
    }

    /** Reads until told to go (printing the answers), then disconnects. */
    @Async
    private static Coroutine<Void> leaveWhenTold(String name, Connection connection) {
        List<String> got = new ArrayList<>();
        boolean told = false;
        boolean pending = name.equals("busy");
        while (!told || pending) {
            byte[] line = await(connection.reader().readLine());
            if (line.length == 0) {
                break;
            }
            String text = new String(line, StandardCharsets.UTF_8).strip();
            got.add(text);
            told |= text.equals(SHUTTING_DOWN);
            pending &= !text.startsWith("done ");
        }
        System.out.println("demo: " + name + " client got " + got + ", disconnects");
        connection.writer().close();
        await(connection.writer().waitClosed());
        return done();
    }

    /**
     * @param args {@code --host H}, {@code --port N}, {@code --grace SECONDS} (default 5)
     * @return the example
     */
    static Coroutine<Void> main(String[] args) {
        Duration grace = Duration.ofSeconds(5);
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        int i = rest.indexOf("--grace");
        if (i >= 0) {
            if (i + 1 == rest.size()) {
                throw new IllegalArgumentException("--grace needs a value in seconds, e.g. --grace 5");
            }
            grace = Duration.ofMillis((long) (Double.parseDouble(rest.get(i + 1)) * 1000));
            rest.subList(i, i + 2).clear();
        }
        return main(ServerOptions.parse(rest.toArray(String[]::new)), grace);
    }
}
