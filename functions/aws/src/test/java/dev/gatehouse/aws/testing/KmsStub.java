package dev.gatehouse.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * No KMS runs here, so KMS is stood in for by its documented JSON wire protocol
 * (https://docs.aws.amazon.com/kms/latest/APIReference/: POST with {@code X-Amz-Target:
 * TrentService.GetPublicKey} / {@code TrentService.Sign}, {@code application/x-amz-json-1.1},
 * errors as {@code {"__type": ..., "message": ...}} with status 400) served on loopback: the stub
 * holds a real ECDSA P-256 key, answers GetPublicKey with its SubjectPublicKeyInfo and Sign by
 * signing the digest it is sent, as KMS does for {@code MessageType DIGEST}. The key is known by
 * {@link #ARN} and {@link #ALIAS}; requests must be SigV4-signed for the stub's region (eu-west-1
 * unless started for another).
 */
public final class KmsStub implements AutoCloseable {

    public static final String ARN = "arn:aws:kms:eu-west-1:123456789012:key/0b2a4c1e-8d3f-4e55-9a6b-7c8d9e0f1a2b";
    public static final String ALIAS = "alias/gatehouse";
    public static final Region REGION = Region.EU_WEST_1;

    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final KeyPair key;
    private final HttpServer server;
    private final Region region;
    private volatile String keySpec = "ECC_NIST_P256";
    private volatile boolean corruptSignatures;

    private KmsStub(KeyPair key, HttpServer server, Region region) {
        this.key = key;
        this.server = server;
        this.region = region;
    }

    /** Starts a stub for {@link #REGION} on a free loopback port with a fresh P-256 key. */
    public static KmsStub start() throws IOException, GeneralSecurityException {
        return start(REGION);
    }

    /** Starts a stub that answers requests signed for {@code region}. */
    public static KmsStub start(Region region) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        KmsStub stub = new KmsStub(generator.generateKeyPair(), server, region);
        server.createContext("/", stub::answer);
        server.start();
        return stub;
    }

    /** The region requests must be signed for. */
    public Region region() {
        return region;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A real SDK client for the stub: endpoint override, static region and credentials. */
    public KmsClient client() {
        return KmsClient.builder()
                .endpointOverride(endpoint())
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public KeyPair key() {
        return key;
    }

    /** The X-Amz-Target of every request, in order. */
    public List<String> targets() {
        return targets;
    }

    /** The JSON body of every request, in order. */
    public List<JsonNode> requests() {
        return requests;
    }

    /** Makes GetPublicKey report another key spec (e.g. RSA_2048). */
    public void keySpec(String spec) {
        keySpec = spec;
    }

    /** Makes Sign return signatures with one bit flipped. */
    public void corruptSignatures() {
        corruptSignatures = true;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            targets.add(target);
            JsonNode request = UntrustedJson.mapper().readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            if (!"application/x-amz-json-1.1".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                    || !exchange.getRequestHeaders().getFirst("Authorization").contains("/" + region.id() + "/kms/aws4_request")) {
                reply(exchange, 400, error("InvalidSignatureException", "bad request signature"));
                return;
            }
            String keyId = request.path("KeyId").asText();
            if (!keyId.equals(ARN) && !keyId.equals(ALIAS)) {
                reply(exchange, 400, error("NotFoundException", "Key '" + keyId + "' does not exist"));
                return;
            }
            ObjectNode response = UntrustedJson.mapper().createObjectNode();
            response.put("KeyId", ARN);
            switch (target) {
                case "TrentService.GetPublicKey" -> {
                    response.put("KeySpec", keySpec);
                    response.put("CustomerMasterKeySpec", keySpec);
                    response.put("KeyUsage", "SIGN_VERIFY");
                    response.put("PublicKey", Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
                    response.putArray("SigningAlgorithms").add("ECDSA_SHA_256");
                }
                case "TrentService.Sign" -> {
                    byte[] message = Base64.getDecoder().decode(request.path("Message").asText());
                    if (!"DIGEST".equals(request.path("MessageType").asText()) || message.length != 32) {
                        reply(exchange, 400, error("ValidationException", "Digest is invalid length for algorithm ECDSA_SHA_256."));
                        return;
                    }
                    byte[] signature = signDigest(message);
                    if (corruptSignatures) {
                        signature[signature.length - 1] ^= 1;
                    }
                    response.put("Signature", Base64.getEncoder().encodeToString(signature));
                    response.put("SigningAlgorithm", request.path("SigningAlgorithm").asText());
                }
                default -> {
                    reply(exchange, 400, error("UnknownOperationException", target));
                    return;
                }
            }
            reply(exchange, 200, UntrustedJson.mapper().writeValueAsBytes(response));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private byte[] signDigest(byte[] digest) throws Exception {
        Signature ecdsa = Signature.getInstance("NONEwithECDSA");
        ecdsa.initSign(key.getPrivate());
        ecdsa.update(digest);
        return ecdsa.sign();
    }

    private static byte[] error(String type, String message) {
        return ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
