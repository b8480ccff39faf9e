package dev.coro.examples;

import dev.coro.EventLoop;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The TechEmpower plaintext answer, encoded once a second: the {@code Date} header is the only
 * part that changes, so the whole response is rebuilt by a timer on the loop and every request
 * between two ticks sends the same bytes. Loop-thread only.
 */
final class Plaintext {
    static final String BODY = "Hello, World!";
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final EventLoop loop;
    private byte[] response;
    private dev.coro.Handle timer;

    private Plaintext(EventLoop loop) {
        this.loop = loop;
        refresh();
    }

    /**
     * Encodes the response now and again every second, until {@link #stop()}.
     *
     * @param loop the loop that serves
     * @return the response holder
     */
    static Plaintext start(EventLoop loop) {
        return new Plaintext(loop);
    }

    private void refresh() {
        String head = "HTTP/1.1 200 OK\r\n"
                + "Server: coro\r\n"
                + "Date: " + HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + BODY.length() + "\r\n"
                + "\r\n";
        response = (head + BODY).getBytes(StandardCharsets.US_ASCII);
        timer = loop.callLater(java.time.Duration.ofSeconds(1), this::refresh);
    }

    /**
     * @return the whole response, headers and body; do not modify
     */
    byte[] response() {
        return response;
    }

    /** Stops the refresh timer. */
    void stop() {
        timer.cancel();
    }
}
