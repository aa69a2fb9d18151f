package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.ports.RegistryCredentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {

    @TempDir
    Path dir;

    private DockerConfigCredentials load(String json) throws Exception {
        Files.writeString(dir.resolve("config.json"), json);
        return DockerConfigCredentials.loadDefault(Map.of("DOCKER_CONFIG", dir.toString()));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAuthIdentityTokenAndDockerHubSpellings() throws Exception {
        DockerConfigCredentials creds = load("{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hubuser:pa:ss") + "\"},"
                + "\"ghcr.io\":{\"username\":\"u\",\"password\":\"p\"},"
                + "\"https://registry.example.com/v2/\":{\"identitytoken\":\"refresh\"},"
                + "\"quay.io\":{\"registrytoken\":\"access\"}}}");
        assertThat(creds.lookup("docker.io")).contains(new RegistryCredentials.Basic("hubuser", "pa:ss"));
        assertThat(creds.lookup("ghcr.io")).contains(new RegistryCredentials.Basic("u", "p"));
        assertThat(creds.lookup("registry.example.com")).contains(new RegistryCredentials.IdentityToken("refresh"));
        assertThat(creds.lookup("quay.io")).contains(new RegistryCredentials.BearerToken("access"));
        assertThat(creds.lookup("other.example")).isEmpty();
    }

    /** A real helper program speaking docker-credential-helpers' protocol, on a PATH of its own. */
    private Map<String, String> pathWithHelper() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, """
                #!/bin/sh
                read server
                case "$server" in
                  registry.example.com) echo '{"ServerURL":"registry.example.com","Username":"AWS","Secret":"tok"}' ;;
                  https://index.docker.io/v1/) echo '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"refresh"}' ;;
                  broken.example) echo "boom: keychain locked" >&2; exit 3 ;;
                  *) echo "credentials not found in native keychain"; exit 1 ;;
                esac
                """);
        helper.toFile().setExecutable(true);
        return Map.of("DOCKER_CONFIG", dir.toString(), "PATH", bin.toString());
    }

    @Test
    void credentialHelpersAreRunForTheirRegistriesAndCredsStoreForTheRest() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"credHelpers\":{\"registry.example.com\":\"fake\"},\"credsStore\":\"fake\"}");
        DockerConfigCredentials creds = DockerConfigCredentials.loadDefault(pathWithHelper());

        assertThat(creds.lookup("registry.example.com")).contains(new RegistryCredentials.Basic("AWS", "tok"));
        assertThat(creds.lookup("docker.io")).contains(new RegistryCredentials.IdentityToken("refresh"));
        assertThat(creds.lookup("elsewhere.example")).isEmpty();
        assertThatThrownBy(() -> creds.lookup("broken.example"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining("docker-credential-fake").hasMessageContaining("boom: keychain locked");
    }

    @Test
    void aHelperThatIsNotOnPathOrNotAPlainNameIsAnError() throws Exception {
        DockerConfigCredentials missing = load("{\"credHelpers\":{\"123456789012.dkr.ecr.us-east-1.amazonaws.com\":\"ecr-login\"}}");
        assertThatThrownBy(() -> missing.lookup("123456789012.dkr.ecr.us-east-1.amazonaws.com"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.UNAUTHORIZED))
                .hasMessageContaining("docker-credential-ecr-login").hasMessageContaining("not on PATH");
        DockerConfigCredentials sneaky = load("{\"credsStore\":\"../../bin/sh\"}");
        assertThatThrownBy(() -> sneaky.lookup("ghcr.io"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MALFORMED));
    }

    @Test
    void missingFileMeansNoCredentialsAndBadFilesAreOneLineErrors() throws Exception {
        assertThat(DockerConfigCredentials.load(dir.resolve("absent.json")).lookup("ghcr.io")).isEmpty();
        assertThatThrownBy(() -> load("{\"auths\":{\"ghcr.io\":{\"auth\":\"%%%\"}}}").lookup("ghcr.io"))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> load("{\"auths\":"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MALFORMED))
                .hasMessageContaining("line 1");
    }
}
