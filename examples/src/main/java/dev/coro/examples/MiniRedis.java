package dev.coro.examples;

import static dev.coro.Coro.await;
import static dev.coro.Coro.done;
import static dev.coro.Coro.loop;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.EventLoop;
import dev.coro.Handle;
import dev.coro.io.Protocol;
import dev.coro.io.Server;
import dev.coro.io.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small Redis: the RESP protocol on a {@link Protocol}, with {@code PING}, {@code ECHO},
 * {@code GET}, {@code SET} (with {@code EX}/{@code PX}/{@code NX}/{@code XX}), {@code DEL},
 * {@code EXISTS}, {@code INCR}, {@code EXPIRE}, {@code TTL}, {@code PUBLISH}, {@code SUBSCRIBE},
 * {@code UNSUBSCRIBE}, plus what {@code redis-cli} and {@code redis-benchmark} ask at start-up
 * ({@code CONFIG GET}, {@code COMMAND}). The real {@code redis-cli} and {@code redis-benchmark}
 * work against it.
 *
 * <p>One loop thread owns the data, as in Redis itself: no locks. Pipelined commands (many in one
 * buffer) are answered with one {@link Transport#write} per {@code dataReceived}; a command split
 * across buffers waits, copied, for its end. A key's expiry is a timer on the loop, so on a
 * virtual-time loop keys expire in virtual time.
 *
 * <pre>
 * java -jar coro-examples.jar mini-redis                 # demo: a client session, then exit
 * java -jar coro-examples.jar mini-redis --port 6380     # serve until killed: redis-cli -p 6380
 * </pre>
 */
public final class MiniRedis {
    /** The longest bulk string accepted (Redis: 512 MB). */
    static final int MAX_BULK = 64 * 1024 * 1024;
    /**
     * A subscriber with more than this many bytes of messages it has not read is disconnected
     * (Redis's {@code client-output-buffer-limit pubsub}: 32 MB).
     */
    static final int MAX_SUBSCRIBER_BACKLOG = 32 * 1024 * 1024;
    /** The longest inline command (a line typed in telnet), as in Redis. */
    static final int MAX_INLINE = 64 * 1024;

    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] NIL = ascii("$-1\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] NOT_AN_INTEGER = ascii("-ERR value is not an integer or out of range\r\n");
    private static final byte[] SYNTAX_ERROR = ascii("-ERR syntax error\r\n");
    private static final byte[] MESSAGE = ascii("*3\r\n$7\r\nmessage\r\n");
    private static final byte[] SUBSCRIBE_REPLY = ascii("*3\r\n$9\r\nsubscribe\r\n");
    private static final byte[] UNSUBSCRIBE_REPLY = ascii("*3\r\n$11\r\nunsubscribe\r\n");
    private static final byte[] PONG_SUBSCRIBED = ascii("*2\r\n$4\r\npong\r\n");

    private final EventLoop loop;
    private final Map<Object, Entry> data = new HashMap<>();
    private final Map<Object, Set<RespProtocol>> channels = new HashMap<>();
    /** Shared by every connection: filled and written within one {@code dataReceived}. */
    private final ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);
    /** A key looked up where it lies in the input, without copying it. */
    private final Probe probe = new Probe();

    private MiniRedis(EventLoop loop) {
        this.loop = loop;
    }

    /** A value and its expiry. */
    private static final class Entry {
        byte[] value;
        long deadline; // loop.nanoTime() at which it expires; meaningful when expiry != null
        Handle expiry;
    }

    // ---------------------------------------------------------------- keys as bytes

    /** A key kept in a map: its bytes and their hash. */
    static final class Key {
        final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(bytes, key.bytes);
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A key where it lies in the input buffer, to look a {@link Key} up without copying. Only ever
     * the argument of {@code get}/{@code remove}: {@link HashMap} calls {@code probe.equals(key)}.
     */
    static final class Probe {
        private ByteBuffer in;
        private int from;
        private int to;
        private int hash;

        Probe at(ByteBuffer in, int from, int to) {
            this.in = in;
            this.from = from;
            this.to = to;
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + in.get(i);
            }
            hash = h;
            return this;
        }

        byte[] copy() {
            byte[] bytes = new byte[to - from];
            in.get(from, bytes);
            return bytes;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key key) || key.bytes.length != to - from) {
                return false;
            }
            byte[] bytes = key.bytes;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != in.get(from + i)) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- one connection

    /** One client connection: parses commands from its buffers and runs them. */
    final class RespProtocol implements Protocol {
        private final RespParser parser = new RespParser();
        private Transport transport;
        private ByteBuffer partial; // write mode: the start of a command that did not arrive whole
        private final Set<Key> subscriptions = new LinkedHashSet<>();
        private boolean closing;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            ByteBuffer in = data;
            if (partial != null && partial.position() > 0) {
                partial = append(partial, data);
                partial.flip();
                in = partial;
            }
            int position = in.position();
            int limit = in.limit();
            out.clear();
            while (position < limit && !closing) {
                int end = parser.parse(in, position, limit);
                if (end == RespParser.INCOMPLETE) {
                    break;
                }
                if (end == RespParser.BAD) {
                    error("Protocol error: " + parser.error());
                    closing = true;
                    break;
                }
                if (parser.argc() > 0) {
                    execute(in, parser);
                }
                position = end;
            }
            flush(transport);
            if (closing) {
                transport.close();
                return;
            }
            // Keep the unanswered rest (a command split across reads) for the next call.
            if (in == partial) {
                partial.position(position);
                partial.compact();
            } else if (position < limit) {
                partial = append(partial, in.duplicate().position(position));
            }
            if (partial != null && partial.position() == 0 && partial.capacity() > 64 * 1024) {
                partial = null; // give a big command's memory back
            }
        }

        @Override
        public void connectionLost(Throwable exception) {
            for (Key channel : subscriptions) {
                unsubscribe(channel, this);
            }
            subscriptions.clear();
        }

        private void execute(ByteBuffer in, RespParser command) {
            int argc = command.argc();
            if (!subscriptions.isEmpty() && !command.is(0, "SUBSCRIBE") && !command.is(0, "UNSUBSCRIBE")
                    && !command.is(0, "PING") && !command.is(0, "QUIT")) {
                error("Can't execute '" + command.string(0).toLowerCase(java.util.Locale.ROOT)
                        + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
                return;
            }
            if (command.is(0, "GET")) {
                if (arity(command, 2)) {
                    Entry entry = lookUp(in, command, 1);
                    if (entry == null) {
                        put(NIL);
                    } else {
                        putBulk(entry.value);
                    }
                }
            } else if (command.is(0, "SET")) {
                set(in, command);
            } else if (command.is(0, "PING")) {
                if (argc > 2) {
                    wrongArity(command);
                } else if (!subscriptions.isEmpty()) {
                    put(PONG_SUBSCRIBED);
                    putBulk(in, argc == 2 ? command.start(1) : 0, argc == 2 ? command.end(1) : 0);
                } else if (argc == 1) {
                    put(PONG);
                } else {
                    putBulk(in, command.start(1), command.end(1));
                }
            } else if (command.is(0, "ECHO")) {
                if (arity(command, 2)) {
                    putBulk(in, command.start(1), command.end(1));
                }
            } else if (command.is(0, "INCR")) {
                if (arity(command, 2)) {
                    incr(in, command);
                }
            } else if (command.is(0, "DEL") || command.is(0, "EXISTS")) {
                if (argc < 2) {
                    wrongArity(command);
                    return;
                }
                boolean delete = command.is(0, "DEL");
                int count = 0;
                for (int i = 1; i < argc; i++) {
                    Entry entry = lookUp(in, command, i);
                    if (entry != null) {
                        count++;
                        if (delete) {
                            remove(probe, entry);
                        }
                    }
                }
                putInteger(count);
            } else if (command.is(0, "EXPIRE") || command.is(0, "PEXPIRE")) {
                if (arity(command, 3)) {
                    long amount = command.number(2);
                    Entry entry = lookUp(in, command, 1);
                    if (amount == Long.MIN_VALUE) {
                        put(NOT_AN_INTEGER);
                    } else if (Math.abs(amount) > Long.MAX_VALUE / 1_000_000_000L) {
                        error("invalid expire time in '" + command.string(0).toLowerCase(java.util.Locale.ROOT) + "' command");
                    } else if (entry == null) {
                        putInteger(0);
                    } else {
                        long millis = command.is(0, "EXPIRE") ? amount * 1000 : amount;
                        expireIn(probe, entry, millis);
                        putInteger(1);
                    }
                }
            } else if (command.is(0, "TTL") || command.is(0, "PTTL")) {
                if (arity(command, 2)) {
                    Entry entry = lookUp(in, command, 1);
                    if (entry == null) {
                        putInteger(-2);
                    } else if (entry.expiry == null) {
                        putInteger(-1);
                    } else {
                        long millis = Math.max(0, (entry.deadline - loop.nanoTime()) / 1_000_000);
                        putInteger(command.is(0, "TTL") ? (millis + 500) / 1000 : millis);
                    }
                }
            } else if (command.is(0, "PUBLISH")) {
                if (arity(command, 3)) {
                    putInteger(publish(in, command));
                }
            } else if (command.is(0, "SUBSCRIBE")) {
                if (argc < 2) {
                    wrongArity(command);
                    return;
                }
                for (int i = 1; i < argc; i++) {
                    Key channel = new Key(probe.at(in, command.start(i), command.end(i)).copy());
                    if (subscriptions.add(channel)) {
                        channels.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(this);
                    }
                    put(SUBSCRIBE_REPLY);
                    putBulk(channel.bytes);
                    putInteger(subscriptions.size());
                }
            } else if (command.is(0, "UNSUBSCRIBE")) {
                List<Key> which = new ArrayList<>();
                if (argc == 1) {
                    which.addAll(subscriptions);
                } else {
                    for (int i = 1; i < argc; i++) {
                        which.add(new Key(probe.at(in, command.start(i), command.end(i)).copy()));
                    }
                }
                if (which.isEmpty()) {
                    put(UNSUBSCRIBE_REPLY);
                    put(NIL);
                    putInteger(0);
                }
                for (Key channel : which) {
                    if (subscriptions.remove(channel)) {
                        unsubscribe(channel, this);
                    }
                    put(UNSUBSCRIBE_REPLY);
                    putBulk(channel.bytes);
                    putInteger(subscriptions.size());
                }
            } else if (command.is(0, "QUIT")) {
                put(OK);
                closing = true;
            } else if (command.is(0, "SELECT") || command.is(0, "CLIENT")) {
                put(OK);
            } else if (command.is(0, "FLUSHALL") || command.is(0, "FLUSHDB")) {
                for (Entry entry : data.values()) {
                    if (entry.expiry != null) {
                        entry.expiry.cancel();
                    }
                }
                data.clear();
                put(OK);
            } else if (command.is(0, "DBSIZE")) {
                putInteger(data.size());
            } else if (command.is(0, "CONFIG")) {
                // redis-benchmark asks for "save" and "appendonly"; nothing is saved here
                if (argc == 3 && command.is(1, "GET") && (command.is(2, "save") || command.is(2, "appendonly"))) {
                    put(ascii("*2\r\n"));
                    putBulk(in, command.start(2), command.end(2));
                    putBulk(ascii(command.is(2, "save") ? "" : "no"));
                } else {
                    put(EMPTY_ARRAY);
                }
            } else if (command.is(0, "COMMAND")) {
                put(EMPTY_ARRAY); // redis-cli asks for the command docs at start-up; it does without
            } else {
                StringBuilder message = new StringBuilder("unknown command '").append(command.string(0))
                        .append("', with args beginning with: ");
                for (int i = 1; i < argc; i++) {
                    message.append('\'').append(command.string(i)).append("' ");
                }
                error(message.toString());
            }
        }

        private void set(ByteBuffer in, RespParser command) {
            int argc = command.argc();
            if (argc < 3) {
                wrongArity(command);
                return;
            }
            long expireMillis = -1;
            boolean nx = false;
            boolean xx = false;
            for (int i = 3; i < argc; i++) {
                if ((command.is(i, "EX") || command.is(i, "PX")) && i + 1 < argc && expireMillis < 0) {
                    long amount = command.number(i + 1);
                    if (amount == Long.MIN_VALUE) {
                        put(NOT_AN_INTEGER);
                        return;
                    }
                    if (amount <= 0 || amount > Long.MAX_VALUE / 1_000_000_000L) {
                        error("invalid expire time in 'set' command");
                        return;
                    }
                    expireMillis = command.is(i, "EX") ? amount * 1000 : amount;
                    i++;
                } else if (command.is(i, "NX") && !xx) {
                    nx = true;
                } else if (command.is(i, "XX") && !nx) {
                    xx = true;
                } else {
                    put(SYNTAX_ERROR);
                    return;
                }
            }
            Entry entry = lookUp(in, command, 1);
            if ((nx && entry != null) || (xx && entry == null)) {
                put(NIL);
                return;
            }
            byte[] value = new byte[command.end(2) - command.start(2)];
            in.get(command.start(2), value);
            if (entry == null) {
                entry = new Entry();
                data.put(new Key(probe.copy()), entry);
            } else if (entry.expiry != null) {
                entry.expiry.cancel(); // SET without KEEPTTL clears the expiry
                entry.expiry = null;
            }
            entry.value = value;
            if (expireMillis > 0) {
                expireIn(probe, entry, expireMillis);
            }
            put(OK);
        }

        private void incr(ByteBuffer in, RespParser command) {
            Entry entry = lookUp(in, command, 1);
            long value = 0;
            if (entry != null) {
                value = parseLong(entry.value);
                if (value == Long.MIN_VALUE) {
                    put(NOT_AN_INTEGER);
                    return;
                }
                if (value == Long.MAX_VALUE) {
                    error("increment or decrement would overflow");
                    return;
                }
            } else {
                entry = new Entry();
                data.put(new Key(probe.copy()), entry);
            }
            value++;
            entry.value = ascii(Long.toString(value)); // the expiry stays, as in Redis
            putInteger(value);
        }

        private int publish(ByteBuffer in, RespParser command) {
            Set<RespProtocol> subscribers = channels.get(probe.at(in, command.start(1), command.end(1)));
            if (subscribers == null) {
                return 0;
            }
            // One message for every subscriber, written to each at once (the transport copies
            // what a slow subscriber's socket does not take).
            ByteBuffer message = ByteBuffer.allocate(MESSAGE.length + 2 * 24 + command.end(1) - command.start(1)
                    + command.end(2) - command.start(2));
            message.put(MESSAGE);
            bulk(message, in, command.start(1), command.end(1));
            bulk(message, in, command.start(2), command.end(2));
            message.flip();
            int receivers = 0;
            for (RespProtocol subscriber : List.copyOf(subscribers)) {
                if (subscriber.transport.getWriteBufferSize() > MAX_SUBSCRIBER_BACKLOG) {
                    subscriber.transport.abort(); // it does not read; connectionLost unsubscribes it
                    continue;
                }
                subscriber.transport.write(message.duplicate());
                receivers++;
            }
            return receivers;
        }

        // ------------------------------------------------------------ replies

        private boolean arity(RespParser command, int argc) {
            if (command.argc() != argc) {
                wrongArity(command);
                return false;
            }
            return true;
        }

        private void wrongArity(RespParser command) {
            error("wrong number of arguments for '" + command.string(0).toLowerCase(java.util.Locale.ROOT) + "' command");
        }

        private void error(String message) {
            put(ascii("-ERR " + message.replace('\r', ' ').replace('\n', ' ') + "\r\n"));
        }

        private void put(byte[] bytes) {
            if (out.remaining() < bytes.length) {
                flush(transport);
                if (bytes.length > out.capacity()) {
                    transport.write(bytes);
                    return;
                }
            }
            out.put(bytes);
        }

        private void putInteger(long value) {
            if (out.remaining() < 24) {
                flush(transport);
            }
            out.put((byte) ':');
            putDigits(out, value);
            out.put(CRLF);
        }

        private void putBulk(byte[] value) {
            if (out.remaining() < value.length + 24) {
                flush(transport);
            }
            if (value.length + 24 > out.capacity()) {
                out.put((byte) '$');
                putDigits(out, value.length);
                out.put(CRLF);
                flush(transport);
                transport.write(value);
                put(CRLF);
                return;
            }
            out.put((byte) '$');
            putDigits(out, value.length);
            out.put(CRLF).put(value).put(CRLF);
        }

        private void putBulk(ByteBuffer in, int from, int to) {
            if (to - from + 24 > out.capacity()) {
                byte[] value = new byte[to - from];
                in.get(from, value);
                putBulk(value);
                return;
            }
            if (out.remaining() < to - from + 24) {
                flush(transport);
            }
            bulk(out, in, from, to);
        }
    }

    // ---------------------------------------------------------------- the data

    /** The live entry for argument {@code index}, with {@link #probe} left on its key; or null. */
    private Entry lookUp(ByteBuffer in, RespParser command, int index) {
        Entry entry = data.get(probe.at(in, command.start(index), command.end(index)));
        if (entry != null && entry.expiry != null && entry.deadline - loop.nanoTime() <= 0) {
            remove(probe, entry); // due, but its timer has not run yet
            return null;
        }
        return entry;
    }

    private void remove(Probe key, Entry entry) {
        data.remove(key);
        if (entry.expiry != null) {
            entry.expiry.cancel();
        }
    }

    private void expireIn(Probe key, Entry entry, long millis) {
        if (entry.expiry != null) {
            entry.expiry.cancel();
            entry.expiry = null;
        }
        if (millis <= 0) {
            data.remove(key);
            return;
        }
        Key stored = new Key(key.copy());
        entry.deadline = loop.nanoTime() + millis * 1_000_000;
        entry.expiry = loop.callAtNanos(entry.deadline, () -> {
            if (data.get(stored) == entry) {
                data.remove(stored);
            }
        });
    }

    private void unsubscribe(Key channel, RespProtocol connection) {
        Set<RespProtocol> subscribers = channels.get(channel);
        if (subscribers != null && subscribers.remove(connection) && subscribers.isEmpty()) {
            channels.remove(channel);
        }
    }

    private void flush(Transport transport) {
        if (out.position() > 0) {
            out.flip();
            transport.write(out);
            out.clear();
        }
    }

    // ---------------------------------------------------------------- encoding helpers

    private static void bulk(ByteBuffer target, ByteBuffer in, int from, int to) {
        target.put((byte) '$');
        putDigits(target, to - from);
        target.put(CRLF);
        target.put(target.position(), in, from, to - from);
        target.position(target.position() + to - from);
        target.put(CRLF);
    }

    private static void putDigits(ByteBuffer target, long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                target.put(ascii(Long.toString(value)));
                return;
            }
            target.put((byte) '-');
            value = -value;
        }
        if (value < 10) {
            target.put((byte) ('0' + value));
            return;
        }
        int start = target.position();
        while (value > 0) {
            target.put((byte) ('0' + value % 10));
            value /= 10;
        }
        for (int i = start, j = target.position() - 1; i < j; i++, j--) {
            byte b = target.get(i);
            target.put(i, target.get(j));
            target.put(j, b);
        }
    }

    /** A decimal long as Redis accepts it, or {@link Long#MIN_VALUE}. */
    static long parseLong(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > 20) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(new String(bytes, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer append(ByteBuffer buffer, ByteBuffer data) {
        if (buffer == null) {
            buffer = ByteBuffer.allocate(Math.max(1024, data.remaining()));
        } else if (buffer.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + data.remaining()));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
        buffer.put(data);
        return buffer;
    }

    // ---------------------------------------------------------------- starting

    /**
     * Starts a server on the current loop, with an empty data set.
     *
     * @param host the address
     * @param port the port (0: a free one)
     * @return the server
     */
    static Coroutine<Server> start(String host, int port) {
        MiniRedis redis = new MiniRedis(loop());
        return redis.loop.createServer(() -> redis.new RespProtocol(), host, port);
    }

    /**
     * Serves until killed ({@code --port}), or runs the demo: the server on a free port and a
     * client session, then exit.
     *
     * @param options host and port
     * @return the example
     */
    @Async
    public static Coroutine<Void> main(ServerOptions options) {
        Server server = await(start(options.host(), options.port()));
        int port = EchoServer.port(server);
        try {
            if (options.serve()) {
                System.out.println("mini-redis on " + options.host() + ":" + port + "; try: redis-cli -p " + port
                        + "; stop it with Ctrl-C");
                await(server.serveForever());
            } else {
                await(RespClient.demo(port));
            }
        } finally {
            server.close();
        }
        await(server.waitClosed());
        return done();
    }
}
