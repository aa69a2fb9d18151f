package dev.gatehouse.aws;

import dev.gatehouse.io.Printable;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.GetAuthorizationTokenResponse;

/**
 * Registry credentials for Amazon ECR hosts ({@code <account>.dkr.ecr.<region>.amazonaws.com}) from
 * {@code GetAuthorizationToken}: basic credentials {@code AWS:<token>}, cached per host until
 * shortly before they expire (tokens live 12 hours). Other hosts get no credential, so this
 * composes with {@link RegistryCredentials#firstOf}.
 */
public final class EcrRegistryCredentials implements RegistryCredentials {

    private static final Pattern ECR_HOST = Pattern.compile(
            "([0-9]{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");
    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(15);

    private final Function<Region, EcrClient> clients;
    private final Map<Region, EcrClient> clientCache = new ConcurrentHashMap<>();
    private final Map<String, Cached> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    private record Cached(Basic credential, Instant refreshAt) {}

    /** {@code clients} makes the ECR client for a region (tests point it at a local endpoint). */
    public EcrRegistryCredentials(Function<Region, EcrClient> clients, Clock clock) {
        this.clients = clients;
        this.clock = clock;
    }

    /** ECR clients with the default AWS credential chain and the URL-connection HTTP client. */
    public static EcrRegistryCredentials withDefaultClients() {
        return new EcrRegistryCredentials(region -> EcrClient.builder()
                .region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build(), Clock.systemUTC());
    }

    /** Whether {@code host} is an ECR registry host. */
    public static boolean isEcrHost(String host) {
        return ECR_HOST.matcher(host).matches();
    }

    @Override
    public Optional<Credential> lookup(String registryHost) throws RegistryException {
        Matcher m = ECR_HOST.matcher(registryHost);
        if (!m.matches()) {
            return Optional.empty();
        }
        Cached cached = tokens.get(registryHost);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.refreshAt())) {
            return Optional.of(cached.credential());
        }
        Region region = Region.of(m.group(2));
        GetAuthorizationTokenResponse response;
        try {
            response = clientCache.computeIfAbsent(region, clients).getAuthorizationToken(b -> { });
        } catch (EcrException e) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, registryHost + ": ECR GetAuthorizationToken refused: "
                    + e.awsErrorDetails().errorCode() + " " + Printable.oneLine(e.awsErrorDetails().errorMessage(),
                    Printable.QUOTED_ERROR_CHARS), e);
        } catch (SdkClientException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, registryHost + ": ECR GetAuthorizationToken failed: "
                    + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
        } catch (SdkException e) {
            throw new RegistryException(RegistryException.Kind.UNAVAILABLE, registryHost + ": ECR GetAuthorizationToken failed: "
                    + Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS), e);
        }
        if (!response.hasAuthorizationData() || response.authorizationData().isEmpty()) {
            throw new RegistryException(RegistryException.Kind.UNAUTHORIZED, registryHost + ": ECR returned no authorization data");
        }
        AuthorizationData data = response.authorizationData().get(0);
        Basic credential = decode(data.authorizationToken(), registryHost);
        Instant expires = data.expiresAt() != null ? data.expiresAt() : now.plus(Duration.ofHours(1));
        tokens.put(registryHost, new Cached(credential, expires.minus(REFRESH_BEFORE_EXPIRY)));
        return Optional.of(credential);
    }

    private static Basic decode(String token, String host) throws RegistryException {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token == null ? "" : token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, host + ": ECR authorization token is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, host + ": ECR authorization token is not user:password");
        }
        return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
