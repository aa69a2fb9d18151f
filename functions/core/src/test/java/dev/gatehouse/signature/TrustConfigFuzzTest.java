package dev.gatehouse.signature;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Trust configurations (YAML or JSON, read from a file as the CLI does) load or are refused with a MalformedInputException. */
class TrustConfigFuzzTest {

    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("trust-config-fuzz");
            Files.createDirectories(dir.resolve("keys"));
            Files.writeString(dir.resolve("keys/release.pub"),
                    SigstoreFixtures.pem("PUBLIC KEY", SigstoreFixtures.key("P-256").getPublic().getEncoded()));
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeFiles() throws Exception {
        try (var files = Files.walk(DIR)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Stream<Arguments> configs() {
        String pem = SigstoreFixtures.pem("PUBLIC KEY", SigstoreFixtures.key("P-256").getPublic().getEncoded()).indent(12);
        return Fuzzing.seeds(List.of(Fuzzing.utf8("""
                version: 1
                policies:
                  - name: hardened
                    images: ["docker.io/dhi/*", "dhi.io/**"]
                    authorities:
                      - name: dhi
                        key: {file: keys/release.pub}
                        tlog: none
                  - name: releases
                    images: ["ghcr.io/acme/**", "oci:*"]
                    authorities:
                      - name: workflow
                        keyless:
                          issuer: https://token.actions.githubusercontent.com
                          subjectRegExp: "https://github.com/acme/[^/]+/.github/workflows/release.yml@refs/tags/v.*"
                          sct: required
                        tlog: required
                      - name: inline
                        key:
                          pem: |
                """ + pem + """
                        tlog: optional
                """), Fuzzing.utf8("""
                policies:
                  - images: ["ghcr.io/**"]
                    authorities:
                      - keyless: {issuer: "https://i", subjectRegExp: "https://github.com/acme/[com/acme/[^/]+/x@refs/tags/v.*"}
                        tlog: required
                """), Fuzzing.utf8("""
                {"version": 1, "policies": [{"name": "p", "images": ["**"],
                  "authorities": [{"name": "k", "key": {"file": "keys/release.pub"}, "tlog": "none"}]}]}
                """)));
    }

    @MethodSource("configs")
    @FuzzTest
    void trustConfigsLoadOrAreRejected(byte[] input) throws Exception {
        Path file = DIR.resolve("trust.yaml");
        Files.write(file, input);
        Fuzzing.acceptOrReject(input, bytes -> TrustConfig.read(file), MalformedInputException.class);
    }
}
