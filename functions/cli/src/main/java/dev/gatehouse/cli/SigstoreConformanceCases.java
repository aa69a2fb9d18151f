package dev.gatehouse.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sigstore-conformance bundle-verify cases ({@code sigstore-conformance/assets/bundle-verify}
 * in the oracles folder), read by the upstream convention: a directory per case, a name ending in
 * "fail" must not verify, optional {@code artifact}, {@code identity}, {@code issuer},
 * {@code key.pub} and {@code trusted_root.json}. Cases without their own root use the production
 * root snapshot in {@code sigstore-trusted-root}, so nothing ever needs TUF.
 */
final class SigstoreConformanceCases {

    static final String DEFAULT_IDENTITY = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
            + ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    static final String DEFAULT_ISSUER = "https://token.actions.githubusercontent.com";

    /** One case; {@code key} is null for keyless cases, {@code identity} and {@code issuer} are null for managed-key ones. */
    record Case(String name, boolean mustFail, Path bundle, Path artifact, Path trustedRoot, Path key, String identity, String issuer) {}

    private SigstoreConformanceCases() {}

    /** The folder of cases under {@code oracles}, or null when the oracles (or the production root) are absent. */
    static Path casesDirectory(Path oracles) {
        Path cases = oracles.resolve("sigstore-conformance/assets/bundle-verify");
        return Files.isDirectory(cases) && Files.isRegularFile(productionRoot(oracles)) ? cases : null;
    }

    static List<Case> all(Path oracles) throws IOException {
        Path cases = casesDirectory(oracles);
        if (cases == null) {
            return List.of();
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(cases)) {
            dirs = list.filter(Files::isDirectory).sorted().toList();
        }
        List<Case> all = new ArrayList<>();
        for (Path dir : dirs) {
            boolean mustFail = dir.getFileName().toString().endsWith("fail");
            Path artifact = Files.exists(dir.resolve("artifact")) ? dir.resolve("artifact") : cases.resolve("a.txt");
            Path root = Files.exists(dir.resolve("trusted_root.json")) ? dir.resolve("trusted_root.json") : productionRoot(oracles);
            Path key = dir.resolve("key.pub");
            all.add(Files.exists(key)
                    ? new Case(dir.getFileName().toString(), mustFail, dir.resolve("bundle.sigstore.json"), artifact, root, key, null, null)
                    : new Case(dir.getFileName().toString(), mustFail, dir.resolve("bundle.sigstore.json"), artifact, root, null,
                            readOr(dir.resolve("identity"), DEFAULT_IDENTITY), readOr(dir.resolve("issuer"), DEFAULT_ISSUER)));
        }
        return all;
    }

    /** The cases that must verify. */
    static List<Case> happyPaths(Path oracles) throws IOException {
        return all(oracles).stream().filter(c -> !c.mustFail()).toList();
    }

    private static Path productionRoot(Path oracles) {
        return oracles.resolve("sigstore-trusted-root/production/trusted_root.json");
    }

    private static String readOr(Path file, String fallback) throws IOException {
        return Files.exists(file) ? Files.readString(file).strip() : fallback;
    }
}
