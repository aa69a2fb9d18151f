package dev.gatehouse.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.Printable;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.RegistryCredentials;
import dev.gatehouse.ports.RegistryCredentials.Credential;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A client for one registry host speaking the OCI Distribution API v2 over java.net.http: the
 * {@code WWW-Authenticate} challenge flow (anonymous, Basic, Bearer tokens from the realm, with
 * credentials from a {@link RegistryCredentials} port), retries with backoff on 429 and 5xx that
 * honour {@code Retry-After}, connect and read timeouts, redirects that never carry credentials to
 * another host, and size limits on everything read. Thread-safe; tokens are cached per scope.
 */
public final class RegistryClient {

    /** How the client talks to registries. */
    public record Options(Duration connectTimeout, Duration readTimeout, int maxRetries, Duration retryBaseDelay,
                          Duration maxRetryDelay, Set<String> plainHttpHostsUnsafe, SSLContext sslContext,
                          String userAgent) {

        public Options {
            plainHttpHostsUnsafe = Set.copyOf(plainHttpHostsUnsafe);
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must not be negative");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), 3, Duration.ofMillis(250),
                    Duration.ofSeconds(30), Set.of(), null, "gatehouse");
        }

        /** Talks plain HTTP (no TLS) to these hosts: for local test registries only. */
        public Options withPlainHttpUnsafe(String... hosts) {
            Set<String> all = new HashSet<>(plainHttpHostsUnsafe);
            all.addAll(List.of(hosts));
            return new Options(connectTimeout, readTimeout, maxRetries, retryBaseDelay, maxRetryDelay, all, sslContext, userAgent);
        }

        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(connect, read, maxRetries, retryBaseDelay, maxRetryDelay, plainHttpHostsUnsafe, sslContext, userAgent);
        }

        public Options withRetries(int retries, Duration baseDelay, Duration maxDelay) {
            return new Options(connectTimeout, readTimeout, retries, baseDelay, maxDelay, plainHttpHostsUnsafe, sslContext, userAgent);
        }

        /** Trusts what this SSL context trusts (a private CA) instead of the JDK default. */
        public Options withSslContext(SSLContext context) {
            return new Options(connectTimeout, readTimeout, maxRetries, retryBaseDelay, maxRetryDelay, plainHttpHostsUnsafe, context, userAgent);
        }
    }

    static final int MAX_ERROR_BODY = 64 * 1024;
    static final int MAX_TOKEN_RESPONSE = 1024 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_CACHED_MANIFESTS = 512;
    private static final Duration CREDENTIAL_TTL = Duration.ofMinutes(10);
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final String host;
    private final URI base;
    private final boolean plainHttp;
    private final RegistryCredentials credentials;
    private final Options options;
    private final HttpClient http;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private volatile AuthChallenge challenge;
    private volatile CachedCredential credential;
    private volatile Boolean referrersApi;
    /** Manifests by repository and digest: content-addressed, so immutable; bounded LRU. */
    private final Map<String, Manifest> manifests = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Manifest> eldest) {
            return size() > MAX_CACHED_MANIFESTS;
        }
    });

    private record CachedToken(String token, Instant expires) {}

    private record CachedCredential(Optional<Credential> value, Instant expires) {}

    private RegistryClient(String host, RegistryCredentials credentials, Options options) {
        this.host = host;
        this.credentials = credentials;
        this.options = options;
        this.plainHttp = options.plainHttpHostsUnsafe().contains(host);
        String apiHost = host.equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : host;
        this.base = URI.create((plainHttp ? "http://" : "https://") + apiHost);
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(options.connectTimeout())
                .proxy(ProxySelector.getDefault())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (plainHttp) {
            builder.version(HttpClient.Version.HTTP_1_1);
        }
        if (options.sslContext() != null) {
            builder.sslContext(options.sslContext());
        }
        this.http = builder.build();
    }

    public static RegistryClient create(String host, RegistryCredentials credentials, Options options) {
        if (host == null || host.isEmpty() || host.contains("/")) {
            throw new IllegalArgumentException("invalid registry host '" + host + "'");
        }
        return new RegistryClient(host, credentials, options);
    }

    /** The registry host as references name it ({@code host[:port]}, {@code docker.io}). */
    public String host() {
        return host;
    }

    /** A repository of this registry ({@code library/alpine}). */
    public OciRepository repository(String path) {
        ImageReference.checkRepositoryPath(path);
        return new RegistryRepository(this, path);
    }

    /** Checks that the registry speaks the API and that we may talk to it ({@code GET /v2/}). */
    public void ping() throws RegistryException {
        HttpResponse<InputStream> response = send("GET", base.resolve("/v2/"), null, Map.of(), null, true);
        expect(response, 200, host + ": API check");
        discard(response);
    }

    /** Repository names, following pagination, at most {@code maxEntries} (compliance scans). */
    public List<String> catalog(int maxEntries) throws RegistryException {
        List<String> names = new ArrayList<>();
        URI next = base.resolve("/v2/_catalog?n=" + Math.min(1000, maxEntries));
        while (next != null && names.size() < maxEntries) {
            HttpResponse<InputStream> response = send("GET", next, "registry:catalog:*", Map.of("Accept", "application/json"), null, true);
            expect(response, 200, host + ": catalog");
            JsonNode page = parseJson(readBounded(response, 4 * 1024 * 1024, host + ": catalog"), "registry catalog", host);
            JsonNode list = page.get("repositories");
            if (list != null && list.isArray()) {
                for (JsonNode n : list) {
                    if (n.isTextual() && names.size() < maxEntries) {
                        names.add(n.textValue());
                    }
                }
            }
            next = nextLink(response, next);
        }
        return names;
    }

    // ---- package-private transport used by RegistryRepository ----

    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    Boolean referrersApi() {
        return referrersApi;
    }

    void referrersApi(boolean supported) {
        referrersApi = supported;
    }

    Manifest cachedManifest(String repository, Digest digest) {
        return manifests.get(repository + "@" + digest);
    }

    void cacheManifest(String repository, Manifest manifest) {
        manifests.put(repository + "@" + manifest.digest(), manifest);
    }

    Duration readTimeout() {
        return options.readTimeout();
    }

    /**
     * Sends a request with the authorisation {@code scope} needs (null: none beyond what the last
     * challenge asked for), answering one 401 challenge and retrying 429/5xx when {@code retryable}.
     * Returns any other status; the caller reads or discards the body.
     */
    HttpResponse<InputStream> send(String method, URI uri, String scope, Map<String, String> headers, byte[] body,
                                   boolean retryable) throws RegistryException {
        boolean answeredChallenge = false;
        while (true) {
            String authorization = authorization(scope);
            HttpResponse<InputStream> response = sendWithRetries(method, uri, headers, body, authorization, retryable);
            if (response.statusCode() != 401) {
                return response;
            }
            String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
            String detail = errorDetail(response);
            AuthChallenge parsed = AuthChallenge.parse(header);
            boolean known = parsed != null && (parsed.scheme().equals("bearer") || parsed.scheme().equals("basic"));
            if (answeredChallenge || !known) {
                throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, host + ": unauthorized" + detail
                        + (credential().isEmpty() ? " (no credentials)" : " (credentials refused)"));
            }
            if (authorization != null) {
                tokens.remove(tokenKey(scope, parsed));
                credential = null;
            }
            challenge = parsed;
            answeredChallenge = true;
            if (parsed.scheme().equals("basic") && credential().isEmpty()) {
                throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, host
                        + ": the registry requires credentials and none are configured for this host");
            }
        }
    }

    private String authorization(String scope) throws RegistryException {
        AuthChallenge c = challenge;
        if (c == null) {
            return null;
        }
        Optional<Credential> cred = credential();
        if (cred.isPresent() && cred.get() instanceof RegistryCredentials.BearerToken bearer) {
            return "Bearer " + bearer.token();
        }
        if (c.scheme().equals("basic")) {
            if (cred.isPresent() && cred.get() instanceof RegistryCredentials.Basic basic) {
                requireTlsFor(base, "Basic credentials");
                return basicHeader(basic);
            }
            return null;
        }
        return "Bearer " + token(c, scope, cred);
    }

    private static String basicHeader(RegistryCredentials.Basic basic) {
        return "Basic " + Base64.getEncoder().encodeToString((basic.username() + ":" + basic.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private String tokenKey(String scope, AuthChallenge c) {
        String s = scope != null ? scope : c.param("scope");
        return s == null ? "" : s;
    }

    private String token(AuthChallenge c, String scope, Optional<Credential> cred) throws RegistryException {
        String key = tokenKey(scope, c);
        CachedToken cached = tokens.get(key);
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return cached.token();
        }
        String realm = c.param("realm");
        URI realmUri;
        try {
            realmUri = realm == null ? null : new URI(realm);
        } catch (java.net.URISyntaxException e) {
            realmUri = null;
        }
        if (realmUri == null || realmUri.getHost() == null
                || !("https".equals(realmUri.getScheme()) || "http".equals(realmUri.getScheme()))) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, host + ": bearer challenge without a usable realm");
        }
        if (cred.isPresent()) {
            requireTlsFor(realmUri, "credentials to the token realm");
        }
        StringBuilder query = new StringBuilder();
        if (c.param("service") != null) {
            query.append("service=").append(encode(c.param("service")));
        }
        if (!key.isEmpty()) {
            for (String one : key.split(" ")) {
                query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(one));
            }
        }
        HttpResponse<InputStream> response;
        if (cred.isPresent() && cred.get() instanceof RegistryCredentials.IdentityToken identity) {
            String form = query + (query.length() == 0 ? "" : "&") + "grant_type=refresh_token&client_id=gatehouse&refresh_token="
                    + encode(identity.token());
            response = sendWithRetries("POST", realmUri, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    form.getBytes(StandardCharsets.UTF_8), null, true);
        } else {
            String sep = realmUri.getRawQuery() == null ? "?" : "&";
            URI uri = URI.create(realmUri + (query.length() == 0 ? "" : sep + query));
            String auth = cred.isPresent() && cred.get() instanceof RegistryCredentials.Basic basic ? basicHeader(basic) : null;
            response = sendWithRetries("GET", uri, Map.of("Accept", "application/json"), null, auth, true);
        }
        if (response.statusCode() != 200) {
            String detail = errorDetail(response);
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, host + ": token service " + realmUri.getHost()
                    + " answered " + response.statusCode() + detail
                    + (cred.isPresent() ? " (credentials refused)" : " (no credentials)"));
        }
        JsonNode body = parseJson(readBounded(response, MAX_TOKEN_RESPONSE, host + ": token response"), "registry token response", host);
        JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
        if (token == null || !token.isTextual() || token.textValue().isEmpty()) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, host + ": token response has no token");
        }
        long expiresIn = body.path("expires_in").canConvertToLong() && body.path("expires_in").isIntegralNumber()
                ? Math.max(60, body.path("expires_in").longValue()) : 60;
        tokens.put(key, new CachedToken(token.textValue(), Instant.now().plusSeconds(expiresIn - 10)));
        return token.textValue();
    }

    private Optional<Credential> credential() throws RegistryException {
        CachedCredential cached = credential;
        if (cached != null && Instant.now().isBefore(cached.expires())) {
            return cached.value();
        }
        Optional<Credential> found = credentials.lookup(host);
        credential = new CachedCredential(found, Instant.now().plus(CREDENTIAL_TTL));
        return found;
    }

    private void requireTlsFor(URI uri, String what) throws RegistryException {
        if (!"https".equals(uri.getScheme()) && !options.plainHttpHostsUnsafe().contains(authority(uri))) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, host + ": refusing to send " + what
                    + " over plain HTTP to " + authority(uri));
        }
    }

    private static String authority(URI uri) {
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    private HttpResponse<InputStream> sendWithRetries(String method, URI uri, Map<String, String> headers, byte[] body,
                                                      String authorization, boolean retryable) throws RegistryException {
        for (int attempt = 0; ; attempt++) {
            boolean mayRetry = retryable && attempt < options.maxRetries();
            HttpResponse<InputStream> response;
            try {
                response = followRedirects(method, uri, headers, body, authorization);
            } catch (HttpTimeoutException e) {
                if (mayRetry) {
                    pause(backoff(attempt), uri);
                    continue;
                }
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, host + ": " + method + " " + uri.getPath()
                        + " timed out: " + e.getMessage(), e);
            } catch (SSLException e) {
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, host + ": TLS with " + authority(uri)
                        + " failed: " + describe(e), e);
            } catch (IOException e) {
                if (mayRetry) {
                    pause(backoff(attempt), uri);
                    continue;
                }
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, host + ": " + method + " " + uri.getPath()
                        + " failed: " + describe(e), e);
            }
            int status = response.statusCode();
            if ((status == 429 || status >= 500) && mayRetry) {
                Duration wait = retryAfter(response).orElse(backoff(attempt));
                discard(response);
                pause(min(wait, options.maxRetryDelay()), uri);
                continue;
            }
            return response;
        }
    }

    private HttpResponse<InputStream> followRedirects(String method, URI uri, Map<String, String> headers, byte[] body,
                                                      String authorization) throws IOException, RegistryException {
        URI current = uri;
        String currentMethod = method;
        byte[] currentBody = body;
        String auth = authorization;
        for (int hops = 0; ; hops++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .timeout(options.readTimeout())
                    .header("User-Agent", options.userAgent());
            headers.forEach(request::header);
            if (auth != null) {
                request.header("Authorization", auth);
            }
            request.method(currentMethod, currentBody == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(currentBody));
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, host + ": interrupted", e);
            }
            int status = response.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            String location = response.headers().firstValue("Location").orElse(null);
            discard(response);
            if (location == null || hops >= MAX_REDIRECTS) {
                throw new RegistryException(RegistryException.Kind.UNAVAILABLE, host + ": " + (location == null
                        ? "redirect without a Location" : "more than " + MAX_REDIRECTS + " redirects"));
            }
            URI next;
            try {
                next = current.resolve(location);
            } catch (IllegalArgumentException e) {
                throw new RegistryException(RegistryException.Kind.MALFORMED, host + ": invalid redirect Location");
            }
            boolean downgrade = "https".equals(current.getScheme()) && !"https".equals(next.getScheme());
            if (!("https".equals(next.getScheme()) || "http".equals(next.getScheme())) || downgrade) {
                throw new RegistryException(RegistryException.Kind.REJECTED, host + ": refusing redirect to "
                        + next.getScheme() + "://" + next.getHost());
            }
            if (!authority(next).equals(authority(current)) || !next.getScheme().equals(current.getScheme())) {
                auth = null;
            }
            if (status == 303) {
                currentMethod = "GET";
                currentBody = null;
            }
            current = next;
        }
    }

    private Duration backoff(int attempt) {
        long base = options.retryBaseDelay().toMillis() << Math.min(attempt, 10);
        long jittered = (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        return min(Duration.ofMillis(jittered), options.maxRetryDelay());
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pause(Duration wait, URI uri) throws RegistryException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, host + ": interrupted while retrying " + uri.getPath(), e);
        }
    }

    // ---- response helpers ----

    /** Throws the RegistryException that a non-{@code expected} status means, naming {@code what}. */
    void expect(HttpResponse<InputStream> response, int expected, String what) throws RegistryException {
        int status = response.statusCode();
        if (status == expected) {
            return;
        }
        String detail = errorDetail(response);
        RegistryException.Kind kind = switch (status) {
            case 401, 403 -> RegistryException.Kind.UNAUTHORIZED;
            case 404 -> RegistryException.Kind.NOT_FOUND;
            case 413 -> RegistryException.Kind.TOO_LARGE;
            case 429 -> RegistryException.Kind.UNAVAILABLE;
            default -> status >= 500 ? RegistryException.Kind.UNAVAILABLE : RegistryException.Kind.REJECTED;
        };
        String summary = switch (kind) {
            case NOT_FOUND -> "not found";
            case UNAUTHORIZED -> "access denied";
            case UNAVAILABLE -> "registry unavailable";
            default -> "refused";
        };
        throw new RegistryException(kind, what + ": " + summary + " (HTTP " + status + ")" + detail);
    }

    /** The registry's error codes and messages as ": CODE message", or "" when it sent none. */
    static String errorDetail(HttpResponse<InputStream> response) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_ERROR_BODY);
        } catch (IOException e) {
            return "";
        }
        if (body.length == 0) {
            return "";
        }
        try {
            JsonNode errors = UntrustedJson.parse(body, "registry error").path("errors");
            List<String> parts = new ArrayList<>();
            for (JsonNode e : errors) {
                String code = e.path("code").asText("");
                String message = e.path("message").asText("");
                parts.add((code + " " + message).trim());
                if (parts.size() == 3) {
                    break;
                }
            }
            return parts.isEmpty() ? "" : ": " + Printable.oneLine(String.join("; ", parts), Printable.QUOTED_ERROR_CHARS);
        } catch (MalformedInputException e) {
            return "";
        }
    }


    /** Reads a whole response body, failing with TOO_LARGE past {@code maxBytes}. */
    byte[] readBounded(HttpResponse<InputStream> response, int maxBytes, String what) throws RegistryException {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
            discard(response);
            throw new RegistryException(RegistryException.Kind.TOO_LARGE, what + ": " + declared
                    + " bytes exceed the limit of " + maxBytes + " bytes");
        }
        try (InputStream in = new ReadTimeoutInputStream(response.body(), options.readTimeout())) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new RegistryException(RegistryException.Kind.TOO_LARGE, what + ": more than " + maxBytes
                        + " bytes (the limit)");
            }
            return content;
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, what + ": reading the response failed: "
                    + describe(e), e);
        }
    }

    static void discard(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // Closing drops the connection; there is nothing left to recover.
        }
    }

    static JsonNode parseJson(byte[] body, String format, String host) throws RegistryException {
        try {
            return UntrustedJson.parseObject(body, format);
        } catch (MalformedInputException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, host + ": " + e.getMessage(), e);
        }
    }

    /** The {@code rel="next"} target of a Link header, resolved against the request, or null. */
    URI nextLink(HttpResponse<?> response, URI current) throws RegistryException {
        Optional<String> link = response.headers().firstValue("Link");
        if (link.isEmpty()) {
            return null;
        }
        Matcher m = LINK_NEXT.matcher(link.get());
        if (!m.find()) {
            return null;
        }
        try {
            URI next = current.resolve(m.group(1));
            if (!authority(next).equals(authority(current))) {
                throw new RegistryException(RegistryException.Kind.MALFORMED, host + ": pagination link to another host");
            }
            return next;
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, host + ": invalid pagination link");
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
        return "RegistryClient[" + base + "]";
    }
}
