package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every sigstore-conformance bundle-verify case through {@code gatehouse verify-bundle}, once with
 * the artifact path and once with its sha256 digest. A case whose name ends in "fail" must exit
 * non-zero, any other must exit 0. Cases without a trusted_root.json use the production root
 * snapshot, always passed explicitly: tests never start TUF.
 */
class VerifyBundleConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyCaseGivesTheExpectedOutcomeByPathAndByDigest() throws IOException {
        Path oracles = Path.of(System.getProperty("gatehouse.oracles", "../shared/oracles"));
        Assumptions.assumeTrue(SigstoreConformanceCases.casesDirectory(oracles) != null,
                "sigstore-conformance oracles not present under " + oracles);
        List<DynamicTest> tests = new ArrayList<>();
        for (SigstoreConformanceCases.Case c : SigstoreConformanceCases.all(oracles)) {
            for (boolean byDigest : new boolean[] {false, true}) {
                String name = c.name() + (byDigest ? " [digest]" : " [path]");
                tests.add(DynamicTest.dynamicTest(name, () -> runCase(c, byDigest)));
            }
        }
        return tests.stream();
    }

    /**
     * Without --trusted-root the public-good root comes through sigstore-java's TUF client, whose HTTP
     * transport (Apache HttpClient) needs commons-logging at run time; the Quarkus BOM excludes it, so
     * the CLI declares it. Not exercised over the network here: tests never start TUF.
     */
    @org.junit.jupiter.api.Test
    void theTufClientsLoggingDependencyIsOnTheRuntimeClasspath() throws Exception {
        assertThat(Class.forName("org.apache.commons.logging.LogFactory")).isNotNull();
        assertThat(Class.forName("org.apache.http.conn.ssl.AllowAllHostnameVerifier")).isNotNull();
    }

    private static void runCase(SigstoreConformanceCases.Case c, boolean byDigest) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify-bundle", "--bundle", c.bundle().toString()));
        if (c.key() != null) {
            args.addAll(List.of("--key", c.key().toString()));
        } else {
            args.addAll(List.of("--certificate-identity", c.identity(), "--certificate-oidc-issuer", c.issuer()));
        }
        args.addAll(List.of("--trusted-root", c.trustedRoot().toString()));
        args.add(byDigest
                ? "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(c.artifact())))
                : c.artifact().toString());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        if (c.mustFail()) {
            assertThat(run.exitCode()).as("exit code of a failing case; stdout: %s", run.out()).isNotZero();
            assertThat(run.err().strip()).as("one-line reason").isNotEmpty().doesNotContain("\n").doesNotContain("\tat ");
        } else {
            assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        }
    }
}
