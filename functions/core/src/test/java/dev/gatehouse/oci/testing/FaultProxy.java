package dev.gatehouse.oci.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A fault-injecting HTTP proxy on a free loopback port in front of a real registry: every request
 * is forwarded, and those {@link #inject} selects get a fault instead of (or on top of) the
 * registry's answer. The client talks to {@link #host()} as if it were the registry.
 */
public final class FaultProxy implements AutoCloseable {

    /** What goes wrong. */
    public sealed interface Fault {
        /** The answer arrives {@code delay} late. */
        record Delay(Duration delay) implements Fault {}

        /** The connection is closed without an answer. */
        record Reset() implements Fault {}

        /** 429 Too Many Requests with {@code Retry-After: seconds}. */
        record TooManyRequests(int seconds) implements Fault {}

        /** 500 Internal Server Error. */
        record ServerError() implements Fault {}

        /** Status and headers (with the full Content-Length) arrive, then half the body, then the connection closes. */
        record Truncated() implements Fault {}

        /** The body arrives whole but with one byte changed; headers (Docker-Content-Digest) unchanged. */
        record Altered() implements Fault {}

        /** The answer is the registry's, but its Docker-Content-Digest header names another digest. */
        record WrongDigest() implements Fault {}

        /**
         * The registry's status and headers, then a body of {@code bytes} filler bytes without a
         * Content-Length, streamed from a small buffer (never held) until done or the client hangs up.
         */
        record Oversized(long bytes) implements Fault {}

        /** No answer at all until the proxy is healed or closed; then the connection is closed. */
        record Stall() implements Fault {}
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade",
            "keep-alive", "expect");

    private final String upstream;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger faulted = new AtomicInteger();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> faultedPaths = new CopyOnWriteArrayList<>();
    private volatile Fault fault;
    private volatile Predicate<String> selects = path -> false;
    private volatile AtomicInteger remaining = new AtomicInteger();
    private volatile boolean always;
    private final AtomicInteger stalled = new AtomicInteger();
    private final AtomicLong streamedBytes = new AtomicLong();
    private volatile CountDownLatch release = new CountDownLatch(1);

    private FaultProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of {@code upstreamHost} (host:port, plain HTTP). */
    public static FaultProxy of(String upstreamHost) throws IOException {
        return new FaultProxy(upstreamHost);
    }

    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on the next {@code times} requests whose path {@code selects} accepts (negative: all of them) get {@code fault}. */
    public FaultProxy inject(Fault fault, Predicate<String> selects, int times) {
        this.always = times < 0;
        this.remaining = new AtomicInteger(times);
        this.selects = selects;
        this.fault = fault;
        return this;
    }

    /** No more faults, stalled requests let go; counters reset. */
    public FaultProxy heal() {
        this.fault = null;
        this.selects = path -> false;
        CountDownLatch stalling = release;
        release = new CountDownLatch(1);
        stalling.countDown();
        requests.set(0);
        faulted.set(0);
        paths.clear();
        faultedPaths.clear();
        streamedBytes.set(0);
        return this;
    }

    /** Requests held by {@link Fault.Stall} right now: nothing has answered them yet. */
    public int stalled() {
        return stalled.get();
    }

    /** Filler bytes {@link Fault.Oversized} got onto the wire since the last {@link #heal} (socket buffers included). */
    public long streamedBytes() {
        return streamedBytes.get();
    }

    /** Requests seen since the last {@link #heal}. */
    public int requests() {
        return requests.get();
    }

    /** The requests ({@code METHOD path}) seen since the last {@link #heal}, in order. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** The requests ({@code METHOD path}) that got a fault since the last {@link #heal}. */
    public List<String> faultedPaths() {
        return List.copyOf(faultedPaths);
    }

    /** Requests that got a fault since the last {@link #heal}. */
    public int faulted() {
        return faulted.get();
    }

    public static Predicate<String> manifests() {
        return path -> path.contains("/manifests/");
    }

    public static Predicate<String> blobs() {
        return path -> path.contains("/blobs/");
    }

    public static Predicate<String> everything() {
        return path -> path.startsWith("/v2/") && !path.equals("/v2/");
    }

    private Fault take(String path) {
        Fault f = fault;
        if (f == null || !selects.test(path)) {
            return null;
        }
        return always || remaining.getAndDecrement() > 0 ? f : null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getRawPath();
        paths.add(exchange.getRequestMethod() + " " + path);
        Fault f = take(path);
        if (f != null) {
            faulted.incrementAndGet();
            faultedPaths.add(exchange.getRequestMethod() + " " + path);
        }
        try (exchange) {
            if (f instanceof Fault.Reset) {
                return;
            }
            if (f instanceof Fault.TooManyRequests tooMany) {
                exchange.getResponseHeaders().set("Retry-After", String.valueOf(tooMany.seconds()));
                exchange.sendResponseHeaders(429, -1);
                return;
            }
            if (f instanceof Fault.ServerError) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            if (f instanceof Fault.Stall) {
                stall();
                return;
            }
            if (f instanceof Fault.Delay delay) {
                Thread.sleep(delay.delay().toMillis());
            }
            HttpResponse<byte[]> answer = forward(exchange);
            byte[] body = answer.body();
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            if (f instanceof Fault.WrongDigest) {
                String other = "sha256:" + Digest.sha256(
                        answer.headers().firstValue("Docker-Content-Digest").orElse(path).getBytes(StandardCharsets.UTF_8)).hex();
                exchange.getResponseHeaders().set("Docker-Content-Digest", other);
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (f instanceof Fault.Oversized oversized && !head) {
                exchange.sendResponseHeaders(answer.statusCode(), 0);
                stream(exchange.getResponseBody(), oversized.bytes());
                return;
            }
            if (head || body.length == 0) {
                answer.headers().firstValue("Content-Length").ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
                exchange.sendResponseHeaders(answer.statusCode(), -1);
                return;
            }
            if (f instanceof Fault.Altered) {
                body = body.clone();
                body[body.length / 2] ^= 0x01;
            }
            exchange.sendResponseHeaders(answer.statusCode(), body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, f instanceof Fault.Truncated ? body.length / 2 : body.length);
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stall() throws InterruptedException {
        CountDownLatch until = release;
        stalled.incrementAndGet();
        try {
            until.await(10, TimeUnit.MINUTES);
        } finally {
            stalled.decrementAndGet();
        }
    }

    /** Writes {@code total} filler bytes from one small buffer; stops quietly when the client hangs up. */
    private void stream(OutputStream out, long total) {
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) ' ');
        try {
            for (long left = total; left > 0; ) {
                int n = (int) Math.min(filler.length, left);
                out.write(filler, 0, n);
                streamedBytes.addAndGet(n);
                left -= n;
            }
            out.close();
        } catch (IOException e) {
            // The client closed the connection: what it was meant to do past its limit.
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange) throws IOException, InterruptedException {
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + upstream + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase())) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
