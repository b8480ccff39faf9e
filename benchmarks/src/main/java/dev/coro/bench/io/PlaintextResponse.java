package dev.coro.bench.io;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * TechEmpower's plaintext response: {@code Hello, World!} with {@code Server}, {@code Date},
 * {@code Content-Type} and {@code Content-Length}. The whole response is re-encoded when the
 * second changes (the {@code Date} header is the only part that varies), so a server sends the
 * same bytes to every request of one second, as Coro's examples do.
 */
final class PlaintextResponse {
    static final String BODY = "Hello, World!";
    static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private PlaintextResponse() {
    }

    /** @return the {@code Date} header's value for now */
    static String date() {
        return HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    /**
     * @param server the {@code Server} header's value
     * @return the whole response, headers and body, dated now
     */
    static byte[] encode(String server) {
        String head = "HTTP/1.1 200 OK\r\n"
                + "Server: " + server + "\r\n"
                + "Date: " + date() + "\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Length: " + BODY_BYTES.length + "\r\n"
                + "\r\n";
        return (head + BODY).getBytes(StandardCharsets.US_ASCII);
    }
}
