package dev.gatehouse.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A server TLS context from PEM files: a certificate chain (leaf first) and a PKCS#8 private key. */
public final class PemTls {

    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final long MAX_PEM_BYTES = 1024 * 1024;

    private PemTls() {}

    public static SSLContext serverContext(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
        Certificate[] chain = certificates(certificateChain);
        PrivateKey key = privateKey(privateKey);
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gatehouse", key, password, chain);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static Certificate[] certificates(Path file) throws IOException, GeneralSecurityException {
        checkSize(file);
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + file + ": no PEM certificate found");
            }
            return certificates.toArray(Certificate[]::new);
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("--tls-cert " + file + ": not a PEM certificate chain (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        checkSize(file);
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("--tls-key " + file
                    + ": expected a PKCS#8 \"BEGIN PRIVATE KEY\" PEM (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("--tls-key " + file + ": not an EC, RSA or Ed25519 private key");
    }

    private static void checkSize(Path file) throws IOException {
        if (Files.size(file) > MAX_PEM_BYTES) {
            throw new IllegalArgumentException(file + ": larger than " + MAX_PEM_BYTES + " bytes, not a PEM file");
        }
    }
}
