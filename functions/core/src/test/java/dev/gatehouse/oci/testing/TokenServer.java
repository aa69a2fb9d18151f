package dev.gatehouse.oci.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A Docker registry token service for tests (distribution's "token" auth): answers
 * {@code GET /token?service=..&scope=..} with an ES256 JWT whose {@code x5c} header carries a
 * self-signed certificate that the registry trusts through {@code rootcertbundle}. Grants every
 * requested action to the configured user; anonymous requests get no access, wrong passwords 401.
 */
public final class TokenServer implements AutoCloseable {

    public static final String SERVICE = "gatehouse-test-registry";
    public static final String ISSUER = "gatehouse-test-token-issuer";

    /** The OAuth2 refresh token (a Docker config.json {@code identitytoken}) this server accepts on POST. */
    public static final String REFRESH_TOKEN = "gatehouse-refresh-" + UUID.randomUUID();

    private final String username;
    private final String password;
    private final KeyPair key;
    private final X509Certificate certificate;
    private final HttpServer server;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();

    public TokenServer(String username, String password) throws Exception {
        this.username = username;
        this.password = password;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        this.key = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=gatehouse test token signer");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400)), name, key.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        this.certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The PEM bundle the registry's {@code rootcertbundle} points to. */
    public String certificatePem() throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    public int refusals() {
        return refusals.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("POST")) {
                handleRefresh(exchange);
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authenticated = false;
            if (auth != null) {
                String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
                if (!auth.equals(expected)) {
                    refusals.incrementAndGet();
                    respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                    return;
                }
                authenticated = true;
            }
            List<String> scopes = new ArrayList<>();
            String service = null;
            String query = exchange.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equals("scope")) {
                    scopes.add(v);
                } else if (k.equals("service")) {
                    service = v;
                }
            }
            ObjectNode body = UntrustedJson.mapper().createObjectNode();
            body.put("token", jwt(service, authenticated ? scopes : List.of()));
            body.put("expires_in", 300);
            body.put("issued_at", Instant.now().toString());
            tokensIssued.incrementAndGet();
            respond(exchange, 200, body.toString());
        } catch (Exception e) {
            respond(exchange, 500, "{}");
        }
    }

    /** OAuth2 refresh-token grant, as clients with an identity token use it. */
    private void handleRefresh(HttpExchange exchange) throws Exception {
        String form = new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8);
        List<String> scopes = new ArrayList<>();
        String service = null;
        String refresh = null;
        String grant = null;
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (k) {
                case "scope" -> scopes.add(v);
                case "service" -> service = v;
                case "refresh_token" -> refresh = v;
                case "grant_type" -> grant = v;
                default -> { }
            }
        }
        if (!"refresh_token".equals(grant) || !REFRESH_TOKEN.equals(refresh)) {
            refusals.incrementAndGet();
            respond(exchange, 401, "{\"error\":\"invalid_grant\"}");
            return;
        }
        ObjectNode body = UntrustedJson.mapper().createObjectNode();
        body.put("access_token", jwt(service, scopes));
        body.put("expires_in", 300);
        tokensIssued.incrementAndGet();
        respond(exchange, 200, body.toString());
    }

    private String jwt(String service, List<String> scopes) throws Exception {
        ObjectNode header = UntrustedJson.mapper().createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = UntrustedJson.mapper().createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", username);
        claims.put("aud", service);
        claims.put("exp", now + 300);
        claims.put("nbf", now - 30);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length < 3) {
                continue;
            }
            ObjectNode entry = access.addObject();
            entry.put("type", parts[0]);
            entry.put("name", String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1)));
            ArrayNode actions = entry.putArray("actions");
            for (String action : parts[parts.length - 1].split(",")) {
                actions.add(action);
            }
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(key.getPrivate());
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(signer.sign());
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
