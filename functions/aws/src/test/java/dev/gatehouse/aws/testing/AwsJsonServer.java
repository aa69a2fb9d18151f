package dev.gatehouse.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.io.UntrustedJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A loopback server for stand-ins of AWS services that speak the AWS JSON 1.1 protocol: every
 * request is a POST naming its operation in {@code X-Amz-Target} with a JSON body, answered with
 * {@code application/x-amz-json-1.1}; errors carry their type in {@code x-amzn-ErrorType} and the
 * body, as the SDK reads them.
 */
public final class AwsJsonServer implements AutoCloseable {

    /** An answer: status and JSON body; {@code errorType} is set on errors. */
    public record Reply(int status, String body, String errorType) {

        public static Reply ok(String body) {
            return new Reply(200, body, null);
        }

        public static Reply error(String type, String message) {
            return new Reply(400, UntrustedJson.mapper().createObjectNode().put("__type", type).put("message", message).toString(), type);
        }
    }

    /** Answers one operation. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(String target, JsonNode request) throws IOException;
    }

    private final HttpServer server;

    private AwsJsonServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static AwsJsonServer start(Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
                Reply reply = handler.handle(target, UntrustedJson.mapper().readTree(exchange.getRequestBody().readAllBytes()));
                byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                if (reply.errorType() != null) {
                    exchange.getResponseHeaders().set("x-amzn-ErrorType", reply.errorType());
                }
                exchange.sendResponseHeaders(reply.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        return new AwsJsonServer(server);
    }

    public URI uri() {
        return URI.create(url());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * {@code builder} pointed at this server with a static region and static credentials and the
     * url-connection HTTP client, so the SDK never consults the default chains (which would probe
     * the instance-metadata address).
     */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(uri())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
