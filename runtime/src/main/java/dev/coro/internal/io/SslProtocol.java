package dev.coro.internal.io;

import dev.coro.EventLoop;
import dev.coro.Handle;
import dev.coro.Promise;
import dev.coro.io.Protocol;
import dev.coro.io.StreamOptions;
import dev.coro.io.Transport;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS between a socket transport and the application's protocol (asyncio's {@code SSLProtocol}
 * in {@code sslproto.py}): an {@link SSLEngine} driven on the loop thread. Towards the socket it
 * is a {@link Protocol}; towards the application it offers a {@link Transport} of plaintext
 * ({@link #appTransport()}), which the application protocol receives in {@code connectionMade}
 * once the handshake is done.
 *
 * <h2>States</h2>
 * <pre>
 * | state        | meaning                                                                  |
 * |--------------|--------------------------------------------------------------------------|
 * | UNWRAPPED    | before connectionMade, or after the connection failed or was lost        |
 * | DO_HANDSHAKE | handshaking; the handshake timer runs                                     |
 * | WRAPPED      | application data both ways                                               |
 * | FLUSHING     | close() was called: pending writes go out (transient here)               |
 * | SHUTDOWN     | our close_notify is sent; waiting for the peer's (shutdown timer runs)   |
 * </pre>
 * UNWRAPPED -&gt; DO_HANDSHAKE (connectionMade) -&gt; WRAPPED (handshake done) -&gt; FLUSHING
 * (application close, or the peer's close_notify) -&gt; SHUTDOWN -&gt; UNWRAPPED (connectionLost).
 * Any state -&gt; UNWRAPPED on an error, a timeout or connectionLost.
 *
 * <p>Differences from asyncio, on purpose: a peer that closes TCP without close_notify ends the
 * connection with an {@link SSLException} saying the data may be truncated (asyncio 3.13 reports a
 * plain EOF; the JDK's SSLSocket throws too), unless {@code StreamOptions.sslSuppressRaggedEofs(true)}
 * asks for asyncio's plain EOF; a server's failed handshake goes to the loop's exception handler (asyncio
 * reports it only in debug mode), because the application protocol never sees that connection.
 * The engine's delegated tasks (certificate checks) run on the loop thread.
 */
public final class SslProtocol implements Protocol {
    private static final System.Logger LOG = System.getLogger("dev.coro.io");
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    enum State { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN }

    enum AppState { INIT, CON_MADE, EOF, CON_LOST }

    private final EventLoop loop;
    private final SSLContext context;
    private final SSLEngine engine;
    private final boolean serverSide;
    private final boolean callConnectionMade;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;
    private final Promise<Void> waiter;
    private final AppTransport appTransport = new AppTransport();
    private final String peerDescription;
    private Protocol app;
    private Transport transport;
    private State state = State.UNWRAPPED;
    private AppState appState = AppState.INIT;

    /** Received TLS bytes not yet unwrapped, in read mode (position to limit); null until needed. */
    private ByteBuffer netIn;
    /** Scratch for wrap: records pile up here and go to the transport in one write. */
    private ByteBuffer netOut;
    /** Scratch for unwrap: plaintext for the application, in write mode. */
    private ByteBuffer appIn;
    private final int packetSize;
    private final int appSize;
    /** Plaintext written while the engine could not take it (before the handshake, renegotiation). */
    private final ArrayDeque<ByteBuffer> backlog = new ArrayDeque<>(0);
    private int backlogBytes;
    private Handle handshakeTimer;
    private Handle shutdownTimer;
    /** Why the connection ends, when we know before the socket transport reports it. */
    private Throwable lostException;
    private boolean appReadingPaused;
    /** StreamOptions.sslSuppressRaggedEofs: a TCP close without close_notify reads as EOF. */
    private final boolean suppressRaggedEofs;
    /** The peer closed TCP without close_notify while reading was paused: EOF once the buffered data is read. */
    private boolean raggedEofPending;
    private int writesAfterClose;

    /**
     * @param loop the loop
     * @param app the application's protocol
     * @param options the TLS settings ({@link StreamOptions#ssl()} must be set)
     * @param serverSide handshake as the server
     * @param peerHost the host connected to (a client's default server name), or null
     * @param peerPort its port, or -1
     * @param callConnectionMade call the application's {@code connectionMade} after the handshake
     *     (false for {@code startTls}, where the protocol already knows its connection)
     */
    public SslProtocol(EventLoop loop, Protocol app, StreamOptions options, boolean serverSide, String peerHost,
            int peerPort, boolean callConnectionMade) {
        this.loop = loop;
        this.app = app;
        this.context = options.ssl();
        if (context == null) {
            throw new IllegalArgumentException("TLS needs an SSLContext: StreamOptions.ssl(context)");
        }
        this.serverSide = serverSide;
        this.callConnectionMade = callConnectionMade;
        this.handshakeTimeout = options.sslHandshakeTimeout();
        this.shutdownTimeout = options.sslShutdownTimeout();
        this.suppressRaggedEofs = options.sslSuppressRaggedEofs();
        this.waiter = loop.createPromise();
        String name = serverSide ? null : options.serverHostname() != null ? options.serverHostname() : peerHost;
        boolean checkName = name != null && !name.isEmpty();
        engine = checkName ? context.createSSLEngine(name, peerPort)
                : peerHost != null ? context.createSSLEngine(peerHost, peerPort) : context.createSSLEngine();
        engine.setUseClientMode(!serverSide);
        SSLParameters parameters = engine.getSSLParameters();
        if (checkName) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isAddressLiteral(name)) {
                parameters.setServerNames(List.of(new SNIHostName(name)));
            }
        }
        if (!options.alpnProtocols().isEmpty()) {
            parameters.setApplicationProtocols(options.alpnProtocols().toArray(new String[0]));
        }
        engine.setSSLParameters(parameters);
        if (options.sslEngineConfigurator() != null) {
            options.sslEngineConfigurator().accept(engine);
        }
        SSLSession session = engine.getSession();
        packetSize = session.getPacketBufferSize();
        appSize = session.getApplicationBufferSize();
        peerDescription = peerHost == null ? null : peerHost + (peerPort >= 0 ? ":" + peerPort : "");
    }

    private static boolean isAddressLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * @return the plaintext transport the application protocol gets
     */
    public Transport appTransport() {
        return appTransport;
    }

    /**
     * @return completed when the handshake is done, or with why it failed
     */
    public Promise<Void> handshakeDone() {
        return waiter;
    }

    // ---------------------------------------------------------------- socket side

    @Override
    public void connectionMade(Transport socketTransport) {
        transport = socketTransport;
        startHandshake();
    }

    private void startHandshake() {
        assert state == State.UNWRAPPED : state;
        state = State.DO_HANDSHAKE;
        handshakeTimer = loop.callLater(handshakeTimeout, this::checkHandshakeTimeout);
        try {
            engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            onHandshakeComplete(e);
            return;
        }
        doHandshake(EMPTY);
    }

    private void checkHandshakeTimeout() {
        if (state != State.DO_HANDSHAKE) {
            return;
        }
        double seconds = handshakeTimeout.toNanos() / 1e9;
        SocketTimeoutException e = new SocketTimeoutException("SSL handshake" + peerSuffix() + " is taking longer than "
                + seconds + " seconds: aborting the connection");
        failHandshake(e, /* sendAlert = */ false);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        ByteBuffer source = input(data);
        try {
            process(source);
        } finally {
            keep(source);
        }
    }

    private void process(ByteBuffer source) {
        switch (state) {
            case DO_HANDSHAKE -> doHandshake(source);
            case WRAPPED -> doRead(source);
            case FLUSHING, SHUTDOWN -> doShutdown(source);
            default -> source.position(source.limit()); // UNWRAPPED: the connection is over
        }
    }

    /**
     * @return netIn with {@code data} appended: the JDK's engine decrypts in place, so it cannot
     *     unwrap from the socket transport's read-only buffer
     */
    private ByteBuffer input(ByteBuffer data) {
        append(data);
        return netIn;
    }

    /** Keeps what was not unwrapped yet (a partial record) for the next call. */
    private void keep(ByteBuffer source) {
        if (source != netIn && source.hasRemaining()) {
            append(source);
        }
    }

    private void append(ByteBuffer data) {
        if (netIn == null) {
            netIn = ByteBuffer.allocate(Math.max(packetSize, data.remaining()));
            netIn.flip();
        }
        netIn.compact();
        if (netIn.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + Math.max(data.remaining(), packetSize));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        netIn.flip();
    }

    @Override
    public boolean eofReceived() {
        switch (state) {
            case DO_HANDSHAKE -> failHandshake(new SSLHandshakeException(
                    "The peer closed the connection during the TLS handshake" + peerSuffix()), false);
            case WRAPPED -> {
                if (suppressRaggedEofs) {
                    raggedEofPending = true;
                    if (!appReadingPaused) {
                        raggedEof();
                    }
                    return true; // raggedEof() closes the transport once the buffered data is read
                }
                fatalError(new SSLException("The peer closed the connection" + peerSuffix()
                        + " without sending TLS close_notify: the data may be truncated. If this peer closes"
                        + " that way and the protocol says where the data ends, read it as EOF, as asyncio does:"
                        + " StreamOptions.sslSuppressRaggedEofs(true)"));
            }
            case FLUSHING, SHUTDOWN -> onShutdownComplete(null); // we were closing anyway
            default -> {
            }
        }
        return false;
    }

    @Override
    public void connectionLost(Throwable exception) {
        Throwable e = exception != null ? exception : lostException;
        appTransport.closed = true;
        backlog.clear();
        backlogBytes = 0;
        cancelTimers();
        if (state == State.DO_HANDSHAKE && e == null) {
            e = new SSLHandshakeException("Connection lost during the TLS handshake" + peerSuffix());
        }
        if (state != State.DO_HANDSHAKE && (appState == AppState.CON_MADE || appState == AppState.EOF)) {
            appState = AppState.CON_LOST;
            Protocol p = app;
            Throwable reason = e;
            loop.callSoon(() -> p.connectionLost(reason));
        }
        state = State.UNWRAPPED;
        wakeupWaiter(e);
    }

    @Override
    public void pauseWriting() {
        if (appState == AppState.CON_MADE || appState == AppState.EOF) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (appState == AppState.CON_MADE || appState == AppState.EOF) {
            app.resumeWriting();
        }
    }

    // ---------------------------------------------------------------- handshake

    private void doHandshake(ByteBuffer source) {
        try {
            for (;;) {
                HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> {
                        SSLEngineResult r = wrap(EMPTY);
                        flushNetOut();
                        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                            handshakeFinished(source);
                            return;
                        }
                        if (r.getStatus() == Status.CLOSED) {
                            throw new SSLHandshakeException("The TLS engine closed during the handshake");
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult r = unwrap(source);
                        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                            handshakeFinished(source);
                            return;
                        }
                        if (r.getStatus() == Status.CLOSED) {
                            throw new SSLHandshakeException("The peer closed TLS during the handshake");
                        }
                        if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                            return; // wait for the rest of the record
                        }
                    }
                    default -> { // FINISHED, NOT_HANDSHAKING
                        handshakeFinished(source);
                        return;
                    }
                }
            }
        } catch (SSLException | RuntimeException e) {
            failHandshake(e, /* sendAlert = */ true);
        }
    }

    private void handshakeFinished(ByteBuffer source) {
        flushNetOut();
        onHandshakeComplete(null);
        if (state == State.WRAPPED) {
            flushBacklog();
            doRead(source); // a TLS 1.3 peer may have sent data along with its last handshake message
        }
    }

    private void onHandshakeComplete(Throwable failure) {
        if (failure != null) {
            failHandshake(failure, true);
            return;
        }
        cancelHandshakeTimer();
        state = State.WRAPPED;
        if (appState == AppState.INIT) {
            appState = AppState.CON_MADE;
            if (callConnectionMade) {
                try {
                    app.connectionMade(appTransport);
                } catch (Throwable e) {
                    loop.callExceptionHandler(context("protocol.connection_made() failed", e));
                    fatalError(e);
                    wakeupWaiter(e);
                    return;
                }
            }
        }
        wakeupWaiter(null);
    }

    private void failHandshake(Throwable cause, boolean sendAlert) {
        if (state != State.DO_HANDSHAKE) {
            return;
        }
        cancelHandshakeTimer();
        state = State.UNWRAPPED;
        Throwable e = cause instanceof SocketTimeoutException ? cause : describe(cause);
        lostException = e;
        if (serverSide) {
            loop.callExceptionHandler(context("SSL handshake failed", e));
        }
        if (sendAlert) {
            // The engine may hold an alert for the peer (bad_certificate, unexpected_message...):
            // send it before closing, so that the peer learns why.
            try {
                engine.closeOutbound();
                for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                    wrap(EMPTY);
                }
            } catch (SSLException | RuntimeException ignored) {
                // Nothing more to say to this peer.
            }
            flushNetOut();
            transport.close();
        } else {
            transport.abort();
        }
        wakeupWaiter(e);
    }

    /**
     * Names what went wrong in the words a user looks for: not trusted (with the certificate's
     * subject and issuer when the JDK tells which certificate), expired (with its end date), not
     * yet valid, wrong name, not TLS.
     */
    private SSLHandshakeException describe(Throwable cause) {
        X509Certificate failing = failingCertificate(cause);
        String what = null;
        // Dates first: the JDK wraps an expired certificate in "PKIX path validation failed".
        for (Throwable t = cause; t != null && what == null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof CertificateExpiredException || m.contains("NotAfter")
                    || t instanceof CertPathValidatorException v && v.getReason() == BasicReason.EXPIRED) {
                what = "the certificate has expired" + (failing == null
                        ? " (" + m + ")"
                        : " on " + DateTimeFormatter.ISO_INSTANT.format(failing.getNotAfter().toInstant()) + " (" + names(failing) + ")");
            } else if (t instanceof CertificateNotYetValidException || m.contains("NotBefore")
                    || t instanceof CertPathValidatorException v && v.getReason() == BasicReason.NOT_YET_VALID) {
                what = "the certificate is not yet valid" + (failing == null
                        ? " (" + m + ")"
                        : ": not before " + DateTimeFormatter.ISO_INSTANT.format(failing.getNotBefore().toInstant()) + " (" + names(failing) + ")");
            }
        }
        for (Throwable t = cause; t != null && what == null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                what = "the certificate does not match the host name";
            } else if (m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
                X509Certificate peer = failing != null ? failing : peerCertificateDuringHandshake();
                what = "the certificate is not trusted (no trusted certification path"
                        + (peer == null
                                ? "; the JDK does not say for which certificate: is its issuer in the client's trust store?"
                                : " for " + names(peer)) + ")";
            } else if (m.contains("nrecognized SSL message")) {
                what = "the peer does not speak TLS";
            }
        }
        String message = "TLS handshake" + peerSuffix() + " failed"
                + (what != null ? ": " + what : "") + " (" + cause.getMessage() + ")";
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    /** @return the certificate a path validation failed on (CertPathValidatorException's index), or null */
    private static X509Certificate failingCertificate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v && v.getCertPath() != null) {
                List<? extends Certificate> path = v.getCertPath().getCertificates();
                int index = v.getIndex() >= 0 && v.getIndex() < path.size() ? v.getIndex() : 0;
                if (!path.isEmpty() && path.get(index) instanceof X509Certificate x) {
                    return x;
                }
            }
        }
        return null;
    }

    /** @return the peer's certificate if the engine still has the handshake's session, or null */
    private X509Certificate peerCertificateDuringHandshake() {
        try {
            SSLSession session = engine.getHandshakeSession();
            Certificate[] chain = session == null ? null : session.getPeerCertificates();
            return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException | RuntimeException e) {
            return null; // the JDK keeps an untrusted chain to itself
        }
    }

    private static String names(X509Certificate certificate) {
        return "subject \"" + certificate.getSubjectX500Principal().getName() + "\", issuer \""
                + certificate.getIssuerX500Principal().getName() + "\"";
    }

    private String peerSuffix() {
        Object peer = transport == null ? null : transport.getExtraInfo("peername");
        if (peer != null) {
            return " with " + peer;
        }
        return peerDescription == null ? "" : " with " + peerDescription;
    }

    private void checkShutdownTimeout() {
        if (state == State.FLUSHING || state == State.SHUTDOWN) {
            lostException = new SocketTimeoutException("SSL shutdown timed out" + peerSuffix());
            state = State.UNWRAPPED;
            transport.abort();
        }
    }

    // ---------------------------------------------------------------- reading

    private void doRead(ByteBuffer source) {
        try {
            while (state == State.WRAPPED && !appReadingPaused && !appTransport.aborted && source.hasRemaining()) {
                SSLEngineResult r = unwrap(source);
                afterEngineStep(r);
                if (r.getStatus() == Status.CLOSED) {
                    deliver();
                    closeNotifyReceived();
                    return;
                }
                if (r.getStatus() == Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
                if (appIn.remaining() < appSize) {
                    deliver();
                }
            }
            deliver();
            flushBacklog();
        } catch (SSLException | RuntimeException e) {
            fatalError(e instanceof SSLException ? e : new SSLException("Fatal error on SSL protocol: " + e, e));
        }
    }

    /** After an unwrap or wrap outside the handshake: TLS 1.3 key updates, TLS 1.2 renegotiation. */
    private void afterEngineStep(SSLEngineResult r) throws SSLException {
        HandshakeStatus hs = r.getHandshakeStatus();
        while (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
            if (hs == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else {
                SSLEngineResult w = wrap(EMPTY);
                if (w.bytesProduced() == 0 && w.getStatus() != Status.OK) {
                    break;
                }
            }
            hs = engine.getHandshakeStatus();
        }
        flushNetOut();
    }

    private void deliver() {
        if (appIn == null || appIn.position() == 0) {
            return;
        }
        appIn.flip();
        try {
            if (appState == AppState.CON_MADE) {
                app.dataReceived(appIn);
            }
        } catch (Throwable e) {
            appIn.clear();
            loop.callExceptionHandler(context("Fatal error: protocol.data_received() call failed.", e));
            fatalError(e);
            return;
        }
        appIn.clear();
    }

    /**
     * A TCP close without close_notify, read as EOF (asyncio's eof_received in WRAPPED: FLUSHING,
     * then SHUTDOWN without unwrap): the application gets eofReceived, the transport closes after
     * our pending writes, without waiting for a close_notify that will not come.
     */
    private void raggedEof() {
        raggedEofPending = false;
        if (state != State.WRAPPED) {
            return;
        }
        state = State.FLUSHING;
        if (appState == AppState.CON_MADE) {
            appState = AppState.EOF;
            try {
                app.eofReceived();
            } catch (Throwable e) {
                loop.callExceptionHandler(context("Error calling eof_received()", e));
                fatalError(e);
                return;
            }
        }
        onShutdownComplete(null);
    }

    private void closeNotifyReceived() {
        if (appState == AppState.CON_MADE) {
            appState = AppState.EOF;
            try {
                app.eofReceived(); // keeping the connection open has no effect: TLS has no half-close here
            } catch (Throwable e) {
                loop.callExceptionHandler(context("Error calling eof_received()", e));
                fatalError(e);
                return;
            }
        }
        startShutdown();
    }

    // ---------------------------------------------------------------- writing

    private void writeAppData(ByteBuffer data) {
        if (appTransport.closed || state == State.UNWRAPPED) {
            if (++writesAfterClose >= 5) {
                LOG.log(System.Logger.Level.WARNING, "SSL transport: write() after close: data dropped");
            }
            data.position(data.limit());
            return;
        }
        if (state == State.WRAPPED && backlog.isEmpty()) {
            try {
                wrapAll(data);
            } catch (SSLException | RuntimeException e) {
                fatalError(e);
                return;
            }
        }
        if (data.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            backlog.add(copy);
            backlogBytes += copy.remaining();
        }
    }

    /** Wraps as much of {@code data} as the engine takes and sends it. */
    private void wrapAll(ByteBuffer data) throws SSLException {
        while (data.hasRemaining()) {
            SSLEngineResult r = wrap(data);
            if (r.getStatus() == Status.CLOSED) {
                throw new SSLException("Cannot write: TLS is closed" + peerSuffix());
            }
            if (r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING
                    && r.getHandshakeStatus() != HandshakeStatus.FINISHED) {
                afterEngineStep(r);
            }
            if (r.bytesConsumed() == 0) {
                break; // the engine is handshaking: the rest waits in the backlog
            }
        }
        flushNetOut();
    }

    private void flushBacklog() {
        if (backlog.isEmpty() || state != State.WRAPPED && state != State.FLUSHING) {
            return;
        }
        try {
            while (!backlog.isEmpty()) {
                ByteBuffer b = backlog.peek();
                int before = b.remaining();
                wrapAll(b);
                backlogBytes -= before - b.remaining();
                if (b.hasRemaining()) {
                    return;
                }
                backlog.poll();
            }
        } catch (SSLException | RuntimeException e) {
            fatalError(e);
        }
    }

    /** One engine.wrap into netOut, growing it on overflow; sends netOut when it is nearly full. */
    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        if (netOut == null) {
            netOut = ByteBuffer.allocate(4 * packetSize);
        }
        for (;;) {
            if (netOut.remaining() < packetSize) {
                flushNetOut();
            }
            SSLEngineResult r = engine.wrap(source, netOut);
            if (r.getStatus() != Status.BUFFER_OVERFLOW) {
                return r;
            }
            if (netOut.position() > 0) {
                flushNetOut();
            } else {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
            }
        }
    }

    private void flushNetOut() {
        if (netOut == null || netOut.position() == 0) {
            return;
        }
        netOut.flip();
        transport.write(netOut); // copies what the socket does not take at once
        netOut.clear();
    }

    /** One engine.unwrap into appIn, growing it on overflow. */
    private SSLEngineResult unwrap(ByteBuffer source) throws SSLException {
        if (appIn == null) {
            appIn = ByteBuffer.allocate(2 * appSize);
        }
        for (;;) {
            SSLEngineResult r = engine.unwrap(source, appIn);
            if (r.getStatus() != Status.BUFFER_OVERFLOW) {
                return r;
            }
            ByteBuffer bigger = ByteBuffer.allocate(appIn.position() + Math.max(appSize, engine.getSession().getApplicationBufferSize()));
            appIn.flip();
            bigger.put(appIn);
            appIn = bigger;
        }
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    // ---------------------------------------------------------------- closing

    private void startShutdown() {
        if (state == State.FLUSHING || state == State.SHUTDOWN || state == State.UNWRAPPED) {
            return;
        }
        appTransport.closed = true;
        if (state == State.DO_HANDSHAKE) {
            abort(null);
            return;
        }
        state = State.FLUSHING;
        shutdownTimer = loop.callLater(shutdownTimeout, this::checkShutdownTimeout);
        flushBacklog();
        state = State.SHUTDOWN;
        if (appReadingPaused) {
            transport.resumeReading(); // the peer's close_notify must be read
        }
        ByteBuffer source = netIn != null && netIn.hasRemaining() ? netIn : EMPTY;
        doShutdown(source);
    }

    private void doShutdown(ByteBuffer source) {
        try {
            if (!engine.isOutboundDone()) {
                engine.closeOutbound();
                for (int i = 0; i < 8 && !engine.isOutboundDone(); i++) {
                    SSLEngineResult r = wrap(EMPTY);
                    if (r.bytesProduced() == 0) {
                        break;
                    }
                }
                flushNetOut();
            }
            while (!engine.isInboundDone()) {
                SSLEngineResult r = unwrap(source);
                appIn.clear(); // data after close() is dropped
                if (r.getStatus() == Status.CLOSED) {
                    break;
                }
                if (r.getStatus() == Status.BUFFER_UNDERFLOW || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    return; // wait for the peer's close_notify
                }
            }
            source.position(source.limit());
            onShutdownComplete(null);
        } catch (SSLException | RuntimeException e) {
            onShutdownComplete(e);
        }
    }

    private void onShutdownComplete(Throwable e) {
        if (state != State.SHUTDOWN && state != State.FLUSHING) {
            return;
        }
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
        state = State.UNWRAPPED;
        if (e != null) {
            lostException = e;
            transport.abort();
        } else {
            transport.close();
        }
    }

    private void abort(Throwable e) {
        appTransport.closed = true;
        appTransport.aborted = true;
        if (e != null && lostException == null) {
            lostException = e;
        }
        state = State.UNWRAPPED;
        if (transport != null) {
            transport.abort();
        }
    }

    /** Ends the connection with {@code e}: the application's connectionLost gets it. */
    private void fatalError(Throwable e) {
        if (!(e instanceof java.io.IOException) && !(e instanceof Error)) {
            LOG.log(System.Logger.Level.DEBUG, "Fatal error on SSL protocol", e);
        }
        if (state == State.DO_HANDSHAKE) {
            failHandshake(e, false);
            return;
        }
        abort(e);
    }

    private void wakeupWaiter(Throwable e) {
        if (waiter.isDone()) {
            return;
        }
        if (e == null) {
            waiter.setResult(null);
        } else {
            waiter.setException(e);
            if (serverSide && callConnectionMade) {
                waiter.exception(); // nobody awaits a server's handshake; the exception handler was told
            }
        }
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
    }

    private void cancelTimers() {
        cancelHandshakeTimer();
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
            shutdownTimer = null;
        }
    }

    private Map<String, Object> context(String message, Throwable e) {
        Map<String, Object> context = EventLoop.errorContext(message, e, "transport", transport);
        context.put("protocol", app);
        if (transport != null) {
            Object peer = transport.getExtraInfo("peername");
            if (peer != null) {
                context.put("peername", peer);
            }
        }
        return context;
    }

    @Override
    public String toString() {
        return "SslProtocol[" + (serverSide ? "server " : "client ") + state + " " + transport + "]";
    }

    // ---------------------------------------------------------------- the application's transport

    /** The plaintext transport (asyncio's {@code _SSLProtocolTransport}). */
    private final class AppTransport implements Transport {
        boolean closed;
        boolean aborted;

        @Override
        public void write(ByteBuffer data) {
            if (!data.hasRemaining()) {
                return;
            }
            writeAppData(data);
        }

        /** TLS connections have no half-close here (asyncio: "SSL doesn't support half-closes"). */
        @Override
        public void writeEof() {
            throw new UnsupportedOperationException("TLS connections do not support half-closes (writeEof)");
        }

        @Override
        public boolean canWriteEof() {
            return false;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                startShutdown();
            }
        }

        @Override
        public void abort() {
            SslProtocol.this.abort(null);
        }

        @Override
        public void pauseReading() {
            if (appReadingPaused || closed) {
                return;
            }
            appReadingPaused = true;
            transport.pauseReading();
        }

        @Override
        public void resumeReading() {
            if (!appReadingPaused) {
                return;
            }
            appReadingPaused = false;
            transport.resumeReading();
            if ((netIn != null && netIn.hasRemaining()) || raggedEofPending) {
                loop.callSoon(() -> {
                    if (netIn != null && netIn.hasRemaining() && state == State.WRAPPED) {
                        doRead(netIn);
                    }
                    if (raggedEofPending && !appReadingPaused) {
                        raggedEof();
                    }
                });
            }
        }

        @Override
        public boolean isReading() {
            return !appReadingPaused && !closed;
        }

        @Override
        public boolean isClosing() {
            return closed;
        }

        /**
         * Besides the socket's keys: {@code "sslcontext"}, {@code "ssl_object"} (the
         * {@link SSLEngine}), {@code "sslsession"}, {@code "peercert"} (the peer's
         * {@link java.security.cert.X509Certificate}, or null), {@code "peercertchain"},
         * {@code "cipher"} (the cipher suite), {@code "alpn_protocol"} (or null).
         */
        @Override
        public Object getExtraInfo(String name) {
            switch (name) {
                case "sslcontext":
                    return context;
                case "ssl_object":
                    return engine;
                case "sslsession":
                    return engine.getSession();
                case "peercert":
                case "peercertchain": {
                    Certificate[] chain;
                    try {
                        chain = engine.getSession().getPeerCertificates();
                    } catch (SSLPeerUnverifiedException e) {
                        return null;
                    }
                    return name.equals("peercertchain") ? chain : chain.length == 0 ? null : chain[0];
                }
                case "cipher":
                    return engine.getSession().getCipherSuite();
                case "alpn_protocol": {
                    String p = engine.getApplicationProtocol();
                    return p == null || p.isEmpty() ? null : p;
                }
                default:
                    return transport == null ? null : transport.getExtraInfo(name);
            }
        }

        @Override
        public void setWriteBufferLimits(int high, int low) {
            transport.setWriteBufferLimits(high, low);
        }

        @Override
        public void setWriteBufferLimits(Integer high, Integer low) {
            transport.setWriteBufferLimits(high, low);
        }

        @Override
        public WriteBufferLimits getWriteBufferLimits() {
            return transport.getWriteBufferLimits();
        }

        @Override
        public int getWriteBufferSize() {
            return transport.getWriteBufferSize() + backlogBytes;
        }

        @Override
        public Protocol getProtocol() {
            return app;
        }

        @Override
        public void setProtocol(Protocol protocol) {
            app = protocol;
        }

        @Override
        public String toString() {
            return "SslTransport[" + state + " " + transport + "]";
        }
    }
}
