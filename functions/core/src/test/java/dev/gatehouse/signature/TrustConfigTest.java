package dev.gatehouse.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustConfigTest {

    @TempDir
    Path dir;

    @Test
    void policiesMapRepositoryGlobsToKeyAndKeylessAuthorities() throws Exception {
        KeyPair dhi = SigstoreFixtures.key("P-256");
        Files.writeString(dir.resolve("dhi.pub"), SigstoreFixtures.pem("PUBLIC KEY", dhi.getPublic().getEncoded()));
        Files.write(dir.resolve("root.json"), new SigstoreFixtures().trustedRootJson());
        Files.writeString(dir.resolve("trust.yaml"), """
                version: 1
                policies:
                  - name: hardened
                    images: ["docker.io/dhi/*", "dhi.io/**"]
                    authorities:
                      - name: dhi-2
                        key: {file: dhi.pub}
                        tlog: none
                  - name: ours
                    images: ["ghcr.io/acme/**"]
                    authorities:
                      - name: release-workflow
                        keyless:
                          issuer: https://token.actions.githubusercontent.com
                          subjectRegExp: "https://github.com/acme/.*"
                          sct: required
                        trustedRoot: root.json
                """);
        TrustConfig config = TrustConfig.read(dir.resolve("trust.yaml"));
        assertThat(config.authoritiesFor("docker.io/dhi/python")).extracting(Authority::name).containsExactly("dhi-2");
        assertThat(config.authoritiesFor("docker.io/dhi/python/extra")).as("* stays in one segment").isEmpty();
        assertThat(config.authoritiesFor("dhi.io/python/3")).extracting(Authority::name).containsExactly("dhi-2");
        assertThat(config.authoritiesFor("ghcr.io/acme/api")).extracting(Authority::name).containsExactly("release-workflow");
        assertThat(config.authoritiesFor("ghcr.io/other/api")).isEmpty();
        Authority key = config.authoritiesFor("dhi.io/x").get(0);
        assertThat(key.tlog()).isEqualTo(TlogRequirement.NONE);
        assertThat(((SignerExpectation.Key) key.signer()).key().getEncoded()).isEqualTo(dhi.getPublic().getEncoded());
    }

    @Test
    void mistakesAreOneLineErrorsNotWeakerPolicies() throws Exception {
        assertThatThrownBy(() -> read("""
                policies:
                  - images: ["a/*"]
                    authorities:
                      - key: {pem: "x"}
                        tlogs: none
                """)).isInstanceOf(MalformedInputException.class).hasMessageContaining("/policies/0/authorities/0/tlogs: unknown field");
        assertThatThrownBy(() -> read("""
                policies:
                  - images: ["a/*"]
                    authorities:
                      - keyless: {issuer: "https://i", subject: "s"}
                        tlog: none
                """)).hasMessageContaining("keyless authorities need tlog: required");
        assertThatThrownBy(() -> read("policies: [")).isInstanceOf(MalformedInputException.class).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> TrustConfig.read(dir.resolve("missing.yaml"))).hasMessageContaining("no such file");
    }

    @Test
    void identityRegularExpressionsAreRe2LikeCosignsAndAnInvalidOneIsAOneLineError() throws Exception {
        // Fuzzing found a nested '[' that java.util.regex reads as an unclosed class; in RE2, as in Go, it is a literal.
        assertThat(CertificateIdentity.StringMatch.regexp("https://x/[a/[^/]+/y").test("https://x/[/y")).isTrue();
        assertThatThrownBy(() -> read("""
                policies:
                  - images: ["a/*"]
                    authorities:
                      - keyless: {issuer: "https://i", subjectRegExp: "https://github.com/acme/(release"}
                        tlog: required
                """)).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("/policies/0/authorities/0/keyless/subjectRegExp")
                .hasMessageContaining("invalid regular expression")
                .hasMessageNotContaining("\n");
        // Backreferences are not RE2 (nor Go's regexp, which cosign uses): refused rather than read with other semantics.
        assertThatThrownBy(() -> CertificateIdentity.StringMatch.regexp("(a)\\1")).isInstanceOf(IllegalArgumentException.class);
        // A nested quantifier that backtracks exponentially in java.util.regex is matched by RE2 in linear time.
        CertificateIdentity.StringMatch nested = CertificateIdentity.StringMatch.regexp("(a+)+b");
        assertThat(nested.test("a".repeat(10_000))).isFalse();
        assertThat(nested.test("aaab")).isTrue();
    }

    private TrustConfig read(String yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return TrustConfig.read(file);
    }
}
