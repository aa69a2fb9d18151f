package dev.gatehouse.oci.testing;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryClient;
import dev.gatehouse.oci.StaticRegistryCredentials;
import dev.gatehouse.oci.TrustedCertificates;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.sample.DistributionRegistryProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real CNCF distribution registry (Debian's {@code /usr/bin/docker-registry}) on
 * 127.0.0.1 and a free port for the tests of one class: anonymous, with htpasswd basic auth, or
 * with token auth backed by a {@link TokenServer}. Register it as a static
 * {@code @RegisterExtension} field. Tests are skipped with a message when the binary is missing or
 * {@code -Dgatehouse.it.skip=true}.
 */
public final class LocalRegistry implements BeforeAllCallback, AfterAllCallback {

    public static final String BINARY = DistributionRegistryProcess.BINARY.toString();
    public static final String USER = "gatehouse";
    public static final String PASSWORD = "test-password-" + HexFormat.of().formatHex(TestImages.randomBytes(4));

    private enum Auth { NONE, BASIC, TOKEN }

    private final Auth auth;
    private final Supplier<URI> notifications;
    private final java.util.Map<String, String> notificationHeaders;
    private final boolean tls;
    private Path dir;
    private Path caBundle;
    private DistributionRegistryProcess process;
    private TokenServer tokenServer;

    private LocalRegistry(Auth auth, Supplier<URI> notifications, java.util.Map<String, String> notificationHeaders, boolean tls) {
        this.auth = auth;
        this.notifications = notifications;
        this.notificationHeaders = java.util.Map.copyOf(notificationHeaders);
        this.tls = tls;
    }

    /** The same registry behind HTTPS with a fresh self-signed certificate for 127.0.0.1 ({@link #caBundle()}). */
    public LocalRegistry withTls() {
        return new LocalRegistry(auth, notifications, notificationHeaders, true);
    }

    /**
     * The same registry, also POSTing its push/pull/delete event envelopes
     * ({@code application/vnd.docker.distribution.events.v1+json}) to the webhook the supplier
     * names when the registry starts.
     */
    public LocalRegistry withNotifications(Supplier<URI> webhook) {
        return new LocalRegistry(auth, webhook, notificationHeaders, tls);
    }

    /** The same notifications, sent with these extra headers (a registry's {@code endpoints[].headers}, e.g. a shared secret). */
    public LocalRegistry withNotifications(Supplier<URI> webhook, java.util.Map<String, String> headers) {
        return new LocalRegistry(auth, webhook, headers, tls);
    }

    public static LocalRegistry anonymous() {
        return new LocalRegistry(Auth.NONE, null, java.util.Map.of(), false);
    }

    /** htpasswd basic auth for {@link #USER} / {@link #PASSWORD}. */
    public static LocalRegistry basicAuth() {
        return new LocalRegistry(Auth.BASIC, null, java.util.Map.of(), false);
    }

    /** Bearer tokens from a {@link TokenServer} that knows {@link #USER} / {@link #PASSWORD}. */
    public static LocalRegistry tokenAuth() {
        return new LocalRegistry(Auth.TOKEN, null, java.util.Map.of(), false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assumeFalse(Boolean.getBoolean("gatehouse.it.skip"), "registry integration tests skipped (gatehouse.it.skip=true)");
        assumeTrue(DistributionRegistryProcess.installed(),
                BINARY + " not installed (apt-get install docker-registry; .ci/run does it): registry integration tests skipped");
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Starts the registry (also usable outside JUnit); the caller stops it. */
    public void start() throws Exception {
        dir = Files.createTempDirectory("gatehouse-registry-");
        StringBuilder http = new StringBuilder();
        StringBuilder sections = new StringBuilder();
        if (tls) {
            Path cert = dir.resolve("registry.crt");
            Path key = dir.resolve("registry.key");
            writeSelfSignedCertificate(cert, key);
            caBundle = cert;
            http.append("  tls:\n    certificate: ").append(cert).append("\n    key: ").append(key).append('\n');
        }
        switch (auth) {
            case BASIC -> {
                Path htpasswd = dir.resolve("htpasswd");
                String hash = OpenBSDBCrypt.generate("2y", PASSWORD.toCharArray(), TestImages.randomBytes(16), 6);
                Files.writeString(htpasswd, USER + ":" + hash + "\n");
                sections.append("auth:\n  htpasswd:\n    realm: gatehouse-test\n    path: ").append(htpasswd).append('\n');
            }
            case TOKEN -> {
                tokenServer = new TokenServer(USER, PASSWORD);
                Path bundle = dir.resolve("token-root.pem");
                Files.writeString(bundle, tokenServer.certificatePem());
                sections.append("auth:\n  token:\n    realm: ").append(tokenServer.realm()).append('\n')
                        .append("    service: ").append(TokenServer.SERVICE).append('\n')
                        .append("    issuer: ").append(TokenServer.ISSUER).append('\n')
                        .append("    rootcertbundle: ").append(bundle).append('\n');
            }
            case NONE -> { }
        }
        if (notifications != null) {
            sections.append("notifications:\n  endpoints:\n    - name: gatehouse-test\n      url: ").append(notifications.get())
                    .append("\n      timeout: 2s\n      threshold: 3\n      backoff: 1s\n");
            if (!notificationHeaders.isEmpty()) {
                sections.append("      headers:\n");
                notificationHeaders.forEach((name, value) -> sections.append("        ").append(name).append(": [\"")
                        .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"]\n"));
            }
        }
        try {
            process = DistributionRegistryProcess.start(dir, http.toString(), sections.toString(), tls ? sslContext() : null);
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
        if (tokenServer != null) {
            tokenServer.close();
            tokenServer = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp directory is harmless.
            }
            dir = null;
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry host as references name it. */
    public String host() {
        return process.host();
    }

    /**
     * Client options for this registry: its certificate trusted (TLS) or plain HTTP allowed for it
     * only, plain HTTP for its token server, short timeouts and retries.
     */
    public RegistryClient.Options options() {
        RegistryClient.Options options = RegistryClient.Options.defaults();
        if (tokenServer != null) {
            options = options.withPlainHttpUnsafe(java.net.URI.create(tokenServer.realm()).getAuthority());
        }
        options = tls ? options.withSslContext(sslContext()) : options.withPlainHttpUnsafe(host());
        return options
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))
                .withRetries(2, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    /** The PEM certificate a {@link #withTls()} registry serves (trust it to talk to the registry), else null. */
    public Path caBundle() {
        return caBundle;
    }

    private javax.net.ssl.SSLContext sslContext() {
        try {
            return TrustedCertificates.sslContext(caBundle);
        } catch (dev.gatehouse.oci.RegistryException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void writeSelfSignedCertificate(Path certificate, Path privateKey) throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = generator.generateKeyPair();
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=127.0.0.1");
        org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                name, java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minusSeconds(3600)),
                java.util.Date.from(now.plusSeconds(86_400)), name, key.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1")));
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    /** The credentials this registry accepts (empty for an anonymous one). */
    public RegistryCredentials credentials() {
        return auth == Auth.NONE ? RegistryCredentials.anonymous() : StaticRegistryCredentials.basic(host(), USER, PASSWORD);
    }

    public RegistryClient client() {
        return RegistryClient.create(host(), credentials(), options());
    }

    public RegistryClient client(RegistryCredentials credentials) {
        return RegistryClient.create(host(), credentials, options());
    }

    public OciRepository repository(String path) {
        return client().repository(path);
    }

    /**
     * The file where the registry keeps a blob (manifests are blobs too), so tests can tamper with
     * what it serves.
     */
    public Path storedBlob(dev.gatehouse.oci.Digest digest) {
        return dir.resolve("data/docker/registry/v2/blobs").resolve(digest.algorithm())
                .resolve(digest.hex().substring(0, 2)).resolve(digest.hex()).resolve("data");
    }

    /** The token server of a {@link #tokenAuth()} registry, else null. */
    public TokenServer tokenServer() {
        return tokenServer;
    }

    static int freePort() throws IOException {
        return DistributionRegistryProcess.freePort();
    }
}
