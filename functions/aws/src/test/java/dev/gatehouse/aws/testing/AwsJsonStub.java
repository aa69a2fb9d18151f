package dev.gatehouse.aws.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * A stand-in, on a free loopback port, for an AWS service that speaks the JSON 1.1 protocol and has
 * no local implementation here (EventBridge, Secrets Manager, ECR): every request's
 * {@code X-Amz-Target} and body are recorded and answered by the test's function, in the wire format
 * the SDK reads ({@code application/x-amz-json-1.1}, {@code x-amzn-ErrorType} on errors).
 */
public final class AwsJsonStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request: the operation ({@code service.Operation}) and the JSON body. */
    public record Request(String target, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What to answer: a status, a JSON body and, for errors, the error type. */
    public record Answer(int status, String body, String errorType) {
        public static Answer ok(String body) {
            return new Answer(200, body, null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private AwsJsonStub(HttpServer server) {
        this.server = server;
    }

    public static AwsJsonStub start(Function<Request, Answer> answers) {
        AwsJsonStub stub;
        try {
            stub = new AwsJsonStub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stub.server.createContext("/", exchange -> {
            try (exchange) {
                Request request = new Request(exchange.getRequestHeaders().getFirst("X-Amz-Target"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                stub.requests.add(request);
                Answer answer = answers.apply(request);
                byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                if (answer.errorType() != null) {
                    exchange.getResponseHeaders().set("x-amzn-ErrorType", answer.errorType());
                }
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        stub.server.start();
        return stub;
    }

    public List<Request> requests() {
        return requests;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * {@code builder} pointed at this stub with a static region and static credentials and the
     * url-connection HTTP client, so the SDK never consults the default chains (which would probe
     * the instance-metadata address).
     */
    public <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return builder.endpointOverride(endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
