package dev.coro.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's {@code keytool} (self-signed EC keys, names
 * localhost and 127.0.0.1), and the SSLContexts built from them.
 */
final class Certs {
    static final char[] PASSWORD = "changeit".toCharArray();

    final Path dir;
    final Path keyStore;
    final Certificate certificate;

    private Certs(Path dir, Path keyStore, Certificate certificate) {
        this.dir = dir;
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /**
     * @param dir where to put the key store
     * @param name the file's base name
     * @param extraKeytoolArgs e.g. {@code -startdate -10d} for an expired certificate
     * @return the certificate and its key store
     */
    static Certs make(Path dir, String name, String... extraKeytoolArgs) throws Exception {
        Path store = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit"));
        for (String a : extraKeytoolArgs) {
            cmd.add(a);
        }
        run(cmd);
        KeyStore ks = load(store);
        return new Certs(dir, store, ks.getCertificate("server"));
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + out);
        }
        return out;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }

    /** @return a server context with this key */
    SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore), PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** @return a client context that trusts this certificate only */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * @return a PEM file with the key and the certificate (for openssl), or null without openssl
     */
    Path pem() throws Exception {
        Path pem = dir.resolve(keyStore.getFileName() + ".pem");
        if (!Files.exists(pem)) {
            run(List.of("openssl", "pkcs12", "-in", keyStore.toString(), "-nodes", "-passin", "pass:changeit",
                    "-out", pem.toString()));
        }
        return pem;
    }

    static boolean hasOpenssl() {
        try {
            return new ProcessBuilder("openssl", "version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
