package dev.coro.io;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Options of streams and servers ({@code openConnection}, {@code startServer},
 * {@code EventLoop.createServer}). Immutable; start from {@link #defaults()}:
 * <pre>{@code
 * StreamOptions.defaults().limit(1 << 20).backlog(1024)
 * }</pre>
 */
public final class StreamOptions {
    private static final StreamOptions DEFAULTS = new StreamOptions(64 * 1024, 100, true, true, Tls.NONE);
    private final int limit;
    private final int backlog;
    private final boolean reuseAddress;
    private final boolean startServing;
    private final Tls tls;
    private final Duration happyEyeballsDelay;
    private final int interleave;

    private StreamOptions(int limit, int backlog, boolean reuseAddress, boolean startServing, Tls tls) {
        this(limit, backlog, reuseAddress, startServing, tls, null, 0);
    }

    private StreamOptions(int limit, int backlog, boolean reuseAddress, boolean startServing, Tls tls,
            Duration happyEyeballsDelay, int interleave) {
        this.happyEyeballsDelay = happyEyeballsDelay;
        this.interleave = interleave;
        this.limit = limit;
        this.backlog = backlog;
        this.reuseAddress = reuseAddress;
        this.startServing = startServing;
        this.tls = tls;
    }

    /**
     * @return asyncio's defaults: limit 64 KiB, backlog 100, SO_REUSEADDR on, serving at once
     */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param bytes the reader's buffer limit (a line longer than this fails)
     * @return new options
     * @throws IllegalArgumentException if not positive
     */
    public StreamOptions limit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + bytes);
        }
        return new StreamOptions(bytes, backlog, reuseAddress, startServing, tls, happyEyeballsDelay, interleave);
    }

    /**
     * @param connections the listen backlog (also the most connections accepted per wake-up)
     * @return new options
     */
    public StreamOptions backlog(int connections) {
        return new StreamOptions(limit, Math.max(1, connections), reuseAddress, startServing, tls, happyEyeballsDelay,
                interleave);
    }

    /**
     * @param on SO_REUSEADDR on the listening socket
     * @return new options
     */
    public StreamOptions reuseAddress(boolean on) {
        return new StreamOptions(limit, backlog, on, startServing, tls, happyEyeballsDelay, interleave);
    }

    /**
     * @param on listen at once (false: bind only, until {@link Server#startServing()} or
     *     {@link Server#serveForever()})
     * @return new options
     */
    public StreamOptions startServing(boolean on) {
        return new StreamOptions(limit, backlog, reuseAddress, on, tls, happyEyeballsDelay, interleave);
    }

    /**
     * Happy Eyeballs (RFC 8305) for connecting to a name with several addresses (asyncio's
     * {@code happy_eyeballs_delay} and {@code interleave}): the next address is tried when the
     * previous attempt fails or after {@code delay}; the first connection made wins.
     *
     * @param delay the delay between attempts (asyncio suggests 250 ms), or null to try the
     *     addresses one after the other (the default)
     * @param interleave 0 for the resolver's order (1 when a delay is set); n to take n addresses
     *     of the first family, then alternate families
     * @return new options
     */
    public StreamOptions happyEyeballs(Duration delay, int interleave) {
        return new StreamOptions(limit, backlog, reuseAddress, startServing, tls, delay, Math.max(0, interleave));
    }

    /**
     * @return the Happy Eyeballs delay, or null
     */
    public Duration happyEyeballsDelay() {
        return happyEyeballsDelay;
    }

    /**
     * @return the address interleave
     */
    public int interleave() {
        return interleave;
    }

    /**
     * @return the reader's limit
     */
    public int limit() {
        return limit;
    }

    /**
     * @return the backlog
     */
    public int backlog() {
        return backlog;
    }

    /**
     * @return SO_REUSEADDR
     */
    public boolean reuseAddress() {
        return reuseAddress;
    }

    /**
     * @return listen at once
     */
    public boolean startServing() {
        return startServing;
    }

    // ---------------------------------------------------------------- TLS

    /** The TLS settings, kept together so that the plain options stay small. */
    private record Tls(SSLContext context, String serverHostname, List<String> alpnProtocols,
            Duration handshakeTimeout, Duration shutdownTimeout, Consumer<SSLEngine> engineConfigurator,
            boolean suppressRaggedEofs) {
        static final Tls NONE = new Tls(null, null, List.of(), Duration.ofSeconds(60), Duration.ofSeconds(30), null, false);

        @Override
        public String toString() {
            return "TLS[hostname=" + serverHostname + ", alpn=" + alpnProtocols + ", handshakeTimeout="
                    + handshakeTimeout + "]";
        }
    }

    private StreamOptions with(Tls next) {
        return new StreamOptions(limit, backlog, reuseAddress, startServing, next, happyEyeballsDelay, interleave);
    }

    /**
     * Turns TLS on (asyncio's {@code ssl=context}): a client handshakes as a client after
     * connecting, a server as a server after accepting; the protocol or stream handler sees the
     * connection only once the handshake is done.
     *
     * @param context the JDK's TLS context (keys for a server, trust for a client), or null for
     *     plain TCP
     * @return new options
     */
    public StreamOptions ssl(SSLContext context) {
        return with(new Tls(context, tls.serverHostname, tls.alpnProtocols, tls.handshakeTimeout,
                tls.shutdownTimeout, tls.engineConfigurator, tls.suppressRaggedEofs));
    }

    /**
     * The name a client sends (SNI) and checks the server's certificate against (asyncio's
     * {@code server_hostname}). Without it, the host passed to {@code openConnection} is used (no
     * SNI for an address literal); the empty string turns both SNI and the host name check off.
     *
     * @param hostname the server's name, "" for none, or null for the connected host
     * @return new options
     */
    public StreamOptions serverHostname(String hostname) {
        return with(new Tls(tls.context, hostname, tls.alpnProtocols, tls.handshakeTimeout, tls.shutdownTimeout,
                tls.engineConfigurator, tls.suppressRaggedEofs));
    }

    /**
     * The ALPN protocols to offer (a client) or accept (a server), in order of preference, e.g.
     * {@code "h2", "http/1.1"}; the one chosen is {@code getExtraInfo("alpn_protocol")}.
     *
     * @param protocols the protocol names
     * @return new options
     */
    public StreamOptions alpnProtocols(String... protocols) {
        return with(new Tls(tls.context, tls.serverHostname, List.of(protocols), tls.handshakeTimeout,
                tls.shutdownTimeout, tls.engineConfigurator, tls.suppressRaggedEofs));
    }

    /**
     * How long the TLS handshake may take (asyncio's {@code ssl_handshake_timeout}, 60 s); then
     * the connection is aborted with a {@link java.net.SocketTimeoutException}.
     *
     * @param timeout the timeout
     * @return new options
     * @throws IllegalArgumentException if not positive
     */
    public StreamOptions sslHandshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("sslHandshakeTimeout must be > 0, not " + timeout);
        }
        return with(new Tls(tls.context, tls.serverHostname, tls.alpnProtocols, timeout, tls.shutdownTimeout,
                tls.engineConfigurator, tls.suppressRaggedEofs));
    }

    /**
     * How long closing waits for the peer's close_notify (asyncio's {@code ssl_shutdown_timeout},
     * 30 s); then the connection is aborted.
     *
     * @param timeout the timeout
     * @return new options
     * @throws IllegalArgumentException if not positive
     */
    public StreamOptions sslShutdownTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("sslShutdownTimeout must be > 0, not " + timeout);
        }
        return with(new Tls(tls.context, tls.serverHostname, tls.alpnProtocols, tls.handshakeTimeout, timeout,
                tls.engineConfigurator, tls.suppressRaggedEofs));
    }

    /**
     * Called with each new {@link SSLEngine} before its handshake, for what the context does not
     * carry: client authentication ({@code setNeedClientAuth}), protocols, cipher suites.
     *
     * @param configurator the callback, or null
     * @return new options
     */
    public StreamOptions sslEngineConfigurator(Consumer<SSLEngine> configurator) {
        return with(new Tls(tls.context, tls.serverHostname, tls.alpnProtocols, tls.handshakeTimeout,
                tls.shutdownTimeout, configurator, tls.suppressRaggedEofs));
    }

    /**
     * What a TLS connection does when the peer closes TCP without sending close_notify (a "ragged
     * EOF"): by default the reader gets an {@link javax.net.ssl.SSLException} saying the data may
     * be truncated (the JDK's {@code SSLSocket} does the same); with {@code true}, a plain EOF, as
     * asyncio 3.13 does (its {@code sslproto.py} reads an EOF in the WRAPPED state as the end of
     * the stream; Python's {@code ssl} calls this {@code suppress_ragged_eofs}). Turn it on for
     * peers known to close that way (many HTTP servers) when the protocol itself says where the
     * data ends (Content-Length, chunked encoding, a length prefix).
     *
     * @param on true: a ragged EOF reads as EOF; false (the default): as an SSLException
     * @return new options
     */
    public StreamOptions sslSuppressRaggedEofs(boolean on) {
        return with(new Tls(tls.context, tls.serverHostname, tls.alpnProtocols, tls.handshakeTimeout,
                tls.shutdownTimeout, tls.engineConfigurator, on));
    }

    /**
     * @return true if a peer's TCP close without close_notify reads as a plain EOF
     *     ({@link #sslSuppressRaggedEofs(boolean)})
     */
    public boolean sslSuppressRaggedEofs() {
        return tls.suppressRaggedEofs;
    }

    /**
     * @return the TLS context, or null for plain TCP
     */
    public SSLContext ssl() {
        return tls.context;
    }

    /**
     * @return the server name for SNI and the host name check; null: the connected host; "": none
     */
    public String serverHostname() {
        return tls.serverHostname;
    }

    /**
     * @return the ALPN protocols (empty: no ALPN)
     */
    public List<String> alpnProtocols() {
        return tls.alpnProtocols;
    }

    /**
     * @return the TLS handshake timeout
     */
    public Duration sslHandshakeTimeout() {
        return tls.handshakeTimeout;
    }

    /**
     * @return the TLS shutdown timeout
     */
    public Duration sslShutdownTimeout() {
        return tls.shutdownTimeout;
    }

    /**
     * @return the engine callback, or null
     */
    public Consumer<SSLEngine> sslEngineConfigurator() {
        return tls.engineConfigurator;
    }

    @Override
    public String toString() {
        return "StreamOptions[limit=" + limit + ", backlog=" + backlog + ", reuseAddress=" + reuseAddress
                + ", startServing=" + startServing + (tls.context == null ? "" : ", ssl=" + tls) + "]";
    }
}
