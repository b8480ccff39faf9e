package dev.coro.examples;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds one Redis command in a buffer without copying it: a RESP array of bulk strings
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}, what clients send) or an inline command
 * ({@code GET k\r\n}, what a person types in telnet). The arguments stay where they are; the
 * parser keeps their start and end indexes. One parser per connection, reused for every command.
 */
final class RespParser {
    /** {@link #parse} result: the command is not all there yet. */
    static final int INCOMPLETE = -1;
    /** {@link #parse} result: a protocol error ({@link #error()} says which). */
    static final int BAD = -2;

    private int[] starts = new int[8];
    private int[] ends = new int[8];
    private int argc;
    private ByteBuffer in;
    private String error;

    /**
     * Parses one command from {@code in}'s bytes {@code [from, limit)} (absolute indexes).
     *
     * @param in the bytes
     * @param from where the command starts
     * @param limit where the bytes end
     * @return the index after the command, {@link #INCOMPLETE} or {@link #BAD}; an empty inline
     *     line is a command with {@link #argc()} 0
     */
    int parse(ByteBuffer in, int from, int limit) {
        this.in = in;
        argc = 0;
        return in.get(from) == '*' ? parseArray(in, from, limit) : parseInline(in, from, limit);
    }

    private int parseArray(ByteBuffer in, int from, int limit) {
        int lineEnd = lineEnd(in, from + 1, limit);
        if (lineEnd < 0) {
            return limit - from > MiniRedis.MAX_INLINE ? bad("too big mbulk count string") : INCOMPLETE;
        }
        long count = number(in, from + 1, lineEnd);
        if (count > 1024 * 1024 || count == Long.MIN_VALUE) {
            return bad("invalid multibulk length");
        }
        int position = lineEnd + 2;
        for (int i = 0; i < count; i++) {
            if (position >= limit) {
                return INCOMPLETE;
            }
            if (in.get(position) != '$') {
                return bad("expected '$', got '" + (char) in.get(position) + "'");
            }
            lineEnd = lineEnd(in, position + 1, limit);
            if (lineEnd < 0) {
                return limit - position > MiniRedis.MAX_INLINE ? bad("too big bulk count string") : INCOMPLETE;
            }
            long length = number(in, position + 1, lineEnd);
            if (length < 0 || length > MiniRedis.MAX_BULK) {
                return bad("invalid bulk length");
            }
            int start = lineEnd + 2;
            if (limit - start < length + 2) {
                return INCOMPLETE;
            }
            add(start, start + (int) length);
            position = start + (int) length + 2;
        }
        return position;
    }

    private int parseInline(ByteBuffer in, int from, int limit) {
        int newline = -1;
        for (int i = from; i < limit; i++) {
            if (in.get(i) == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            return limit - from > MiniRedis.MAX_INLINE ? bad("too big inline request") : INCOMPLETE;
        }
        int end = newline > from && in.get(newline - 1) == '\r' ? newline - 1 : newline;
        int i = from;
        while (i < end) {
            while (i < end && in.get(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < end && in.get(i) != ' ') {
                i++;
            }
            if (i > start) {
                add(start, i);
            }
        }
        return newline + 1;
    }

    private void add(int start, int end) {
        if (argc == starts.length) {
            starts = java.util.Arrays.copyOf(starts, argc * 2);
            ends = java.util.Arrays.copyOf(ends, argc * 2);
        }
        starts[argc] = start;
        ends[argc] = end;
        argc++;
    }

    private int bad(String message) {
        error = message;
        return BAD;
    }

    /** The index of the {@code \r} of the {@code \r\n} ending the line, or -1. */
    private static int lineEnd(ByteBuffer in, int from, int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A decimal number in {@code [from, to)}, or {@link Long#MIN_VALUE}. */
    private static long number(ByteBuffer in, int from, int to) {
        if (from >= to || to - from > 18) {
            return Long.MIN_VALUE;
        }
        boolean negative = in.get(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            byte b = in.get(i);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            value = value * 10 + (b - '0');
        }
        return negative ? -value : value;
    }

    /** @return how many arguments, the command name included */
    int argc() {
        return argc;
    }

    int start(int index) {
        return starts[index];
    }

    int end(int index) {
        return ends[index];
    }

    /**
     * @param index an argument
     * @param word an ASCII word
     * @return true if the argument is that word, in any case
     */
    boolean is(int index, String word) {
        int start = starts[index];
        if (ends[index] - start != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            int b = in.get(start + i);
            char c = word.charAt(i);
            if (b != c && (b | 0x20) != (c | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** @return the argument as a signed decimal number, or {@link Long#MIN_VALUE} */
    long number(int index) {
        return number(in, starts[index], ends[index]);
    }

    /** @return the argument as text (for messages) */
    String string(int index) {
        byte[] bytes = new byte[ends[index] - starts[index]];
        in.get(starts[index], bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return what the last {@link #BAD} was about */
    String error() {
        return error;
    }
}
