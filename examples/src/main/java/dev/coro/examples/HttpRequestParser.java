package dev.coro.examples;

import java.nio.ByteBuffer;

/**
 * Finds where an HTTP/1.1 request ends, without allocating: the request line, the headers up to
 * the empty line, and a {@code Content-Length} body. Only what a keep-alive server needs is kept:
 * whether the connection stays open after the answer. One parser per connection, reused for
 * every request.
 */
final class HttpRequestParser {
    /** {@link #parse} result: the request is not all there yet. */
    static final int INCOMPLETE = -1;
    /** {@link #parse} result: not HTTP, or a head over {@link #MAX_HEAD} bytes. */
    static final int BAD = -2;
    /** The most bytes a request line and its headers may take. */
    static final int MAX_HEAD = 8192;

    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION = "connection:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private boolean keepAlive;
    private int contentLength;

    /**
     * Parses one request from {@code in}'s bytes {@code [from, limit)} (absolute indexes; the
     * buffer's position is not used or moved).
     *
     * @param in the bytes
     * @param from where the request starts
     * @param limit where the bytes end
     * @return the index just after the request, {@link #INCOMPLETE}, or {@link #BAD}
     */
    int parse(ByteBuffer in, int from, int limit) {
        int lineStart = from;
        boolean firstLine = true;
        long contentLength = 0;
        keepAlive = true;
        for (int i = from; i < limit; i++) {
            if (in.get(i) != '\n') {
                continue;
            }
            int lineEnd = i > lineStart && in.get(i - 1) == '\r' ? i - 1 : i; // a bare \n is accepted too
            int length = lineEnd - lineStart;
            if (firstLine) {
                // "GET / HTTP/1.1": the version decides the default (1.0: close)
                if (length < 14 || in.get(lineEnd - 8) != 'H' || in.get(lineEnd - 3) != '1' || in.get(lineEnd - 2) != '.') {
                    return BAD;
                }
                keepAlive = in.get(lineEnd - 1) != '0';
                firstLine = false;
            } else if (length == 0) {
                int end = i + 1;
                this.contentLength = (int) contentLength;
                if (contentLength > limit - end) {
                    return INCOMPLETE;
                }
                return end + (int) contentLength;
            } else if (startsWithIgnoreCase(in, lineStart, lineEnd, CONTENT_LENGTH)) {
                contentLength = number(in, lineStart + CONTENT_LENGTH.length, lineEnd);
                if (contentLength < 0) {
                    return BAD;
                }
            } else if (startsWithIgnoreCase(in, lineStart, lineEnd, CONNECTION)) {
                int v = lineStart + CONNECTION.length;
                while (v < lineEnd && in.get(v) == ' ') {
                    v++;
                }
                char c = (char) (in.get(v < lineEnd ? v : lineEnd - 1) | 0x20);
                if (c == 'c') {
                    keepAlive = false; // close
                } else if (c == 'k') {
                    keepAlive = true; // keep-alive
                }
            }
            lineStart = i + 1;
            if (lineStart - from > MAX_HEAD) {
                return BAD;
            }
        }
        return limit - from > MAX_HEAD ? BAD : INCOMPLETE;
    }

    /**
     * @return true unless the last request parsed asked to close (or was HTTP/1.0 without keep-alive)
     */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * @return the body length of the last request whose head was complete (0 without a body)
     */
    int contentLength() {
        return contentLength;
    }

    private static boolean startsWithIgnoreCase(ByteBuffer in, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if ((in.get(from + k) | 0x20) != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    /** A decimal number between spaces, or -1. */
    private static long number(ByteBuffer in, int from, int to) {
        long value = 0;
        boolean digits = false;
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                digits = true;
                if (value > Integer.MAX_VALUE) {
                    return -1;
                }
            } else if (b != ' ' && b != '\t') {
                return -1;
            }
        }
        return digits ? value : -1;
    }
}
