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
    /** keytool's JVM runs for a moment: the first JIT tier is enough. */
    private static final String QUICK_JVM = "-J-XX:TieredStopAtLevel=1";

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
                QUICK_JVM, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
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

    /**
     * A certificate for localhost signed by a test CA made with it, in one key store: the CA's
     * certificate is what a client trusts, so the leaf's own dates are checked (the JDK does not
     * check the dates of a trust anchor, so an expired self-signed certificate that is trusted passes).
     *
     * @param dir where to put the key store
     * @param name the file's base name
     * @param gencertArgs e.g. {@code -startdate -1y -validity 30} for a leaf that expired 11 months ago
     * @return the leaf's key store, trusted through the CA
     */
    static Certs signedByCa(Path dir, String name, String... gencertArgs) throws Exception {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> common = List.of("-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        List<List<String>> steps = List.of(
                List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=Coro Test CA " + name, "-ext", "bc:c", "-validity", "3650"),
                List.of("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=localhost", "-validity", "2"),
                List.of("-certreq", "-alias", "server", "-file", dir.resolve(name + ".csr").toString()));
        for (List<String> step : steps) {
            List<String> cmd = new ArrayList<>(List.of(keytool, QUICK_JVM));
            cmd.addAll(step);
            cmd.addAll(common);
            run(cmd);
        }
        List<String> gencert = new ArrayList<>(List.of(keytool, QUICK_JVM, "-gencert", "-alias", "ca",
                "-infile", dir.resolve(name + ".csr").toString(), "-outfile", dir.resolve(name + ".crt").toString(),
                "-ext", "san=dns:localhost,ip:127.0.0.1"));
        gencert.addAll(List.of(gencertArgs));
        gencert.addAll(common);
        run(gencert);
        List<String> reply = new ArrayList<>(List.of(keytool, QUICK_JVM, "-importcert", "-alias", "server", "-noprompt",
                "-file", dir.resolve(name + ".crt").toString()));
        reply.addAll(common);
        run(reply);
        // Keep the server's key alone in the store, so that the key manager cannot pick the CA's.
        KeyStore ks = load(store);
        Certificate ca = ks.getCertificate("ca");
        ks.deleteEntry("ca");
        try (var out = Files.newOutputStream(store)) {
            ks.store(out, PASSWORD);
        }
        return new Certs(dir, store, ca);
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

    /** @return the server's own certificate (the leaf) */
    Certificate leaf() throws Exception {
        return load(keyStore).getCertificate("server");
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
