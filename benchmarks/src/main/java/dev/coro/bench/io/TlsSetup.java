package dev.coro.bench.io;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * What every peer of the TLS echo benchmark shares: one key store (made by the harness with
 * {@code keytool}, an EC P-256 certificate for 127.0.0.1), TLS 1.3 only, one cipher suite. The
 * servers and the load generator all use the JDK's provider (SunJSSE).
 */
final class TlsSetup {
    /** The only protocol offered. */
    static final String PROTOCOL = "TLSv1.3";
    /** The only cipher suite offered. */
    static final String CIPHER_SUITE = "TLS_AES_128_GCM_SHA256";
    /** The key store's password (and its key's). */
    static final char[] PASSWORD = "changeit".toCharArray();

    private TlsSetup() {
    }

    /**
     * @param keyStore a PKCS12 file with the server's key and certificate
     * @return a context with that key and trusting that certificate (servers and load generator alike)
     * @throws Exception when the key store cannot be read
     */
    static SSLContext context(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** @param engine an engine to restrict to {@link #PROTOCOL} and {@link #CIPHER_SUITE} */
    static void restrict(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        parameters.setCipherSuites(new String[] {CIPHER_SUITE});
        engine.setSSLParameters(parameters);
    }

    /** @return {@code --keystore}'s value, checked */
    static Path keyStore(java.util.Map<String, String> options) {
        String path = options.get("keystore");
        if (path == null || !Files.isReadable(Path.of(path))) {
            throw new IllegalArgumentException("--keystore FILE.p12 is required and must be readable (got " + path
                    + "); make one with: keytool -genkeypair -alias server -keyalg EC -groupname secp256r1"
                    + " -dname CN=localhost -ext san=ip:127.0.0.1 -keystore FILE.p12 -storetype PKCS12"
                    + " -storepass changeit -keypass changeit");
        }
        return Path.of(path);
    }
}
