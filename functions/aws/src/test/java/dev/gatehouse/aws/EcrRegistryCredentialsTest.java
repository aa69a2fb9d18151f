package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.aws.testing.AwsJsonServer;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/** GetAuthorizationToken against a stub ECR endpoint on loopback; nothing reaches AWS. */
class EcrRegistryCredentialsTest {

    private static final String HOST = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    private volatile int status = 200;
    private volatile String body;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private AwsJsonServer server;

    @BeforeEach
    void start() throws Exception {
        server = AwsJsonServer.start((target, request) -> {
            targets.add(target);
            return new AwsJsonServer.Reply(status, body, status == 200 ? null : "AccessDeniedException");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EcrRegistryCredentials credentials() {
        return new EcrRegistryCredentials(region -> server.configure(EcrClient.builder()).region(region).build(), Clock.systemUTC());
    }

    private static String tokenResponse(String userAndPassword, Instant expires) {
        String token = Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
        return "{\"authorizationData\":[{\"authorizationToken\":\"" + token + "\",\"expiresAt\":" + expires.getEpochSecond()
                + ",\"proxyEndpoint\":\"https://" + HOST + "\"}]}";
    }

    @Test
    void ecrHostGetsBasicCredentialsFromTheTokenAndCachesThem() throws Exception {
        body = tokenResponse("AWS:ecr-password", Instant.now().plusSeconds(12 * 3600));
        EcrRegistryCredentials ecr = credentials();
        assertThat(ecr.lookup(HOST)).contains(new RegistryCredentials.Basic("AWS", "ecr-password"));
        assertThat(ecr.lookup(HOST)).contains(new RegistryCredentials.Basic("AWS", "ecr-password"));
        assertThat(targets).containsExactly("AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
    }

    @Test
    void tokenCloseToExpiryIsRefreshed() throws Exception {
        body = tokenResponse("AWS:old", Instant.now().plusSeconds(60));
        EcrRegistryCredentials ecr = credentials();
        ecr.lookup(HOST);
        body = tokenResponse("AWS:new", Instant.now().plusSeconds(12 * 3600));
        assertThat(ecr.lookup(HOST)).contains(new RegistryCredentials.Basic("AWS", "new"));
        assertThat(targets).hasSize(2);
    }

    @Test
    void otherHostsGetNothingAndNoCall() throws Exception {
        body = tokenResponse("AWS:x", Instant.now().plusSeconds(3600));
        assertThat(credentials().lookup("ghcr.io")).isEmpty();
        assertThat(credentials().lookup("docker.io")).isEmpty();
        assertThat(targets).isEmpty();
        assertThat(EcrRegistryCredentials.isEcrHost("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com")).isTrue();
    }

    @Test
    void refusedCallIsUnauthorizedOnOneLine() {
        status = 400;
        body = "{\"__type\":\"AccessDeniedException\",\"message\":\"User is not authorized to perform ecr:GetAuthorizationToken\"}";
        assertThatThrownBy(() -> credentials().lookup(HOST))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining("AccessDeniedException")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void garbageTokenIsMalformed() {
        body = "{\"authorizationData\":[{\"authorizationToken\":\"bm9jb2xvbg==\",\"expiresAt\":1}]}";
        assertThatThrownBy(() -> credentials().lookup(HOST))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MALFORMED));
    }
}
