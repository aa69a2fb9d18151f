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

    private static final String DEFAULT_IDENTITY = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

    @TestFactory
    Stream<DynamicTest> everyCaseGivesTheExpectedOutcomeByPathAndByDigest() throws IOException {
        Path oracles = Path.of(System.getProperty("gatehouse.oracles", "../shared/oracles"));
        Path cases = oracles.resolve("sigstore-conformance/assets/bundle-verify");
        Path production = oracles.resolve("sigstore-trusted-root/production/trusted_root.json");
        Assumptions.assumeTrue(Files.isDirectory(cases) && Files.isRegularFile(production),
                "sigstore-conformance oracles not present at " + cases);
        List<Path> dirs;
        try (Stream<Path> list = Files.list(cases)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : dirs) {
            for (boolean byDigest : new boolean[] {false, true}) {
                String name = dir.getFileName() + (byDigest ? " [digest]" : " [path]");
                tests.add(DynamicTest.dynamicTest(name, () -> runCase(dir, cases, production, byDigest)));
            }
        }
        return tests.stream();
    }

    private static void runCase(Path dir, Path cases, Path production, boolean byDigest) throws Exception {
        boolean mustFail = dir.getFileName().toString().endsWith("fail");
        Path artifact = Files.exists(dir.resolve("artifact")) ? dir.resolve("artifact") : cases.resolve("a.txt");
        Path root = Files.exists(dir.resolve("trusted_root.json")) ? dir.resolve("trusted_root.json") : production;
        List<String> args = new ArrayList<>(List.of("verify-bundle", "--bundle", dir.resolve("bundle.sigstore.json").toString()));
        if (Files.exists(dir.resolve("key.pub"))) {
            args.addAll(List.of("--key", dir.resolve("key.pub").toString()));
        } else {
            args.addAll(List.of("--certificate-identity", readOr(dir.resolve("identity"), DEFAULT_IDENTITY),
                    "--certificate-oidc-issuer", readOr(dir.resolve("issuer"), DEFAULT_ISSUER)));
        }
        args.addAll(List.of("--trusted-root", root.toString()));
        args.add(byDigest
                ? "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(artifact)))
                : artifact.toString());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        if (mustFail) {
            assertThat(run.exitCode()).as("exit code of a failing case; stdout: %s", run.out()).isNotZero();
            assertThat(run.err().strip()).as("one-line reason").isNotEmpty().doesNotContain("\n").doesNotContain("\tat ");
        } else {
            assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        }
    }

    private static String readOr(Path file, String fallback) throws IOException {
        return Files.exists(file) ? Files.readString(file).strip() : fallback;
    }
}
