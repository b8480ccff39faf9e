package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.openConnection;
import static dev.coro.Coro.startServer;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.io.Connection;
import dev.coro.io.LimitOverrunException;
import dev.coro.io.Server;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A chat server on streams: a client's first line is its name, then every line it sends goes to
 * every other client as {@code name: line}. Joins and departures are announced. One task per
 * client; the members map needs no lock, since every task runs on the loop thread.
 *
 * <p>A broadcast writes to each member without {@code drain()}: one member that does not read
 * must not hold up the others. Its transport buffers instead, and a member more than
 * {@link #MAX_BACKLOG} bytes behind is disconnected.
 *
 * <pre>
 * java -jar coro-examples.jar chat                 # demo: alice, bob and carol talk, then exit
 * java -jar coro-examples.jar chat --port 7000     # serve until killed; try two: nc 127.0.0.1 7000
 * </pre>
 */
public final class ChatServer {
    /** The most bytes a member may have waiting unread before it is disconnected. */
    static final int MAX_BACKLOG = 1024 * 1024;

    private final Map<StreamWriter, String> members = new LinkedHashMap<>();

    /**
     * One member: its name, then its lines until EOF.
     *
     * @param reader the read side
     * @param writer the write side
     * @return the handler
     */
    @Async
    Coroutine<Void> handle(StreamReader reader, StreamWriter writer) {
        writer.write("name?\n");
        String name = text(await(reader.readLine()));
        if (name.isEmpty()) {
            return done();
        }
        members.put(writer, name);
        writer.write("welcome " + name + "; here: " + String.join(", ", members.values()) + "\n");
        broadcast(writer, "* " + name + " joined");
        try {
            byte[] line;
            while ((line = await(reader.readLine())).length > 0) {
                broadcast(writer, name + ": " + text(line));
            }
        } catch (LimitOverrunException e) {
            writer.write("line too long, bye\n");
        } finally {
            members.remove(writer);
            broadcast(writer, "* " + name + " left");
        }
        return done();
    }

    private void broadcast(StreamWriter from, String message) {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        for (StreamWriter member : new ArrayList<>(members.keySet())) {
            if (member == from) {
                continue;
            }
            if (member.transport().getWriteBufferSize() > MAX_BACKLOG) {
                member.transport().abort(); // its task sees EOF and leaves
                continue;
            }
            member.write(bytes);
        }
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8).strip();
    }

    // ---------------------------------------------------------------- the demo's clients

    /** A demo client: its name and connection. */
    record Member(String name, Connection connection) {
        @Async
        Coroutine<Void> say(String line) {
            connection.writer().write(line + "\n");
            await(connection.writer().drain());
            return done();
        }

        /** Reads one line and prints it as {@code name < line}. */
        @Async
        Coroutine<String> hear() {
            String line = text(await(connection.reader().readLine()));
            System.out.println(name + " < " + line);
            return done(line);
        }

        @Async
        Coroutine<Void> leave() {
            connection.writer().close();
            await(connection.writer().waitClosed());
            return done();
        }
    }

    /**
     * Connects, reads the prompt, sends the name and reads the welcome.
     *
     * @param port the server's port on 127.0.0.1
     * @param name the member's name
     * @return the member
     */
    @Async
    static Coroutine<Member> join(int port, String name) {
        Member member = new Member(name, await(openConnection("127.0.0.1", port)));
        await(member.connection().reader().readLine()); // "name?"
        await(member.say(name));
        await(member.hear()); // "welcome ..."
        return done(member);
    }

    /**
     * Serves until killed ({@code --port}), or runs the demo: alice, bob and carol join, talk and
     * carol leaves; each line a member receives is printed.
     *
     * @param options host and port
     * @return the example
     */
    @Async
    public static Coroutine<Void> main(ServerOptions options) {
        ChatServer chat = new ChatServer();
        Server server = await(startServer(chat::handle, options.host(), options.port()));
        int port = EchoServer.port(server);
        try {
            if (options.serve()) {
                System.out.println("chat server on " + options.host() + ":" + port + "; stop it with Ctrl-C");
                await(server.serveForever());
                return done();
            }
            Member alice = await(join(port, "alice"));
            Member bob = await(join(port, "bob"));
            await(alice.hear());
            Member carol = await(join(port, "carol"));
            await(alice.hear());
            await(bob.hear());
            await(alice.say("hi all"));
            await(bob.hear());
            await(carol.hear());
            await(bob.say("hi alice"));
            await(alice.hear());
            await(carol.hear());
            await(carol.leave());
            await(alice.hear());
            await(bob.hear());
            await(alice.leave());
            await(bob.leave());
        } finally {
            server.close();
        }
        await(server.waitClosed());
        return done();
    }
}
