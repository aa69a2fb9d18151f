package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.ports.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The WWW-Authenticate challenge flow against the real registry with htpasswd and with token auth. */
class RegistryAuthTest {

    private static void assertUnauthorized(ThrowingCall call, String messagePart) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Nested
    class BasicAuth {

        @RegisterExtension
        static final LocalRegistry REGISTRY = LocalRegistry.basicAuth();

        @Test
        void anonymousClientIsToldCredentialsAreNeeded() {
            OciRepository repo = REGISTRY.client(RegistryCredentials.anonymous()).repository("gatehouse/basic");
            assertUnauthorized(() -> repo.resolve("v1"), "requires credentials and none are configured");
        }

        @Test
        void wrongPasswordIsRefused() {
            OciRepository repo = REGISTRY.client(StaticRegistryCredentials.basic(REGISTRY.host(), LocalRegistry.USER, "wrong"))
                    .repository("gatehouse/basic");
            assertUnauthorized(() -> repo.resolve("v1"), "credentials refused");
        }

        @Test
        void rightCredentialsPushAndPull() throws Exception {
            RegistryClient client = REGISTRY.client();
            client.ping();
            TestImages.TestImage image = TestImages.image();
            image.pushTo(client.repository("gatehouse/basic"), "v1");
            OciRepository reader = REGISTRY.client().repository("gatehouse/basic");
            assertThat(reader.manifest(reader.resolve("v1")).raw()).isEqualTo(image.manifest().raw());
            assertThat(client.catalog(10)).contains("gatehouse/basic");
        }
    }

    @Nested
    class TokenAuth {

        @RegisterExtension
        static final LocalRegistry REGISTRY = LocalRegistry.tokenAuth();

        @TempDir
        Path home;

        @Test
        void bearerTokenFlowPushesPullsAndCachesTokensPerScope() throws Exception {
            int before = REGISTRY.tokenServer().tokensIssued();
            RegistryClient client = REGISTRY.client();
            OciRepository repo = client.repository("gatehouse/token");
            TestImages.TestIndex multi = TestImages.multiArch(Platform.of("linux", "amd64"), Platform.of("linux", "arm64"));
            multi.pushTo(repo, "v1");
            int afterPush = REGISTRY.tokenServer().tokensIssued();
            assertThat(afterPush - before).isBetween(1, 2);

            Descriptor top = repo.resolve("v1");
            ImageIndex index = (ImageIndex) repo.manifest(top);
            for (Descriptor d : index.manifests()) {
                repo.manifest(d);
            }
            assertThat(repo.tags()).containsExactly("v1");
            assertThat(REGISTRY.tokenServer().tokensIssued()).isLessThanOrEqualTo(afterPush + 1);
            assertThat(client.catalog(10)).contains("gatehouse/token");
        }

        @Test
        void anonymousTokenHasNoAccess() {
            OciRepository repo = REGISTRY.client(RegistryCredentials.anonymous()).repository("gatehouse/token");
            assertUnauthorized(() -> repo.resolve("v1"), "unauthorized (no credentials)");
        }

        @Test
        void tokenServiceRefusesWrongPassword() {
            OciRepository repo = REGISTRY.client(StaticRegistryCredentials.basic(REGISTRY.host(), LocalRegistry.USER, "nope"))
                    .repository("gatehouse/token");
            assertUnauthorized(() -> repo.resolve("v1"), "token service 127.0.0.1 answered 401");
            assertThat(REGISTRY.tokenServer().refusals()).isPositive();
        }

        @Test
        void identityTokenIsExchangedAtTheRealm() throws Exception {
            RegistryCredentials refresh = StaticRegistryCredentials.of(Map.of(REGISTRY.host(),
                    new RegistryCredentials.IdentityToken(dev.gatehouse.oci.testing.TokenServer.REFRESH_TOKEN)));
            OciRepository repo = REGISTRY.client(refresh).repository("gatehouse/identity");
            TestImages.TestImage image = TestImages.image();
            image.pushTo(repo, "v1");
            assertThat(repo.resolve("v1").digest()).isEqualTo(image.manifest().digest());

            RegistryCredentials wrong = StaticRegistryCredentials.of(Map.of(REGISTRY.host(), new RegistryCredentials.IdentityToken("stolen")));
            assertUnauthorized(() -> REGISTRY.client(wrong).repository("gatehouse/identity").resolve("v1"), "credentials refused");
        }

        @Test
        void dockerConfigJsonCredentialsWork() throws Exception {
            String auth = Base64.getEncoder().encodeToString((LocalRegistry.USER + ":" + LocalRegistry.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            Path config = home.resolve("config.json");
            Files.writeString(config, "{\"auths\":{\"http://" + REGISTRY.host() + "\":{\"auth\":\"" + auth + "\"}}}");
            DockerConfigCredentials credentials = DockerConfigCredentials.loadDefault(Map.of("DOCKER_CONFIG", home.toString()));
            OciRepository repo = REGISTRY.client(credentials).repository("gatehouse/config-json");
            TestImages.TestImage image = TestImages.image();
            image.pushTo(repo, "v1");
            assertThat(repo.resolve("v1").digest()).isEqualTo(image.manifest().digest());
        }
    }
}
