package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.testing.TestImages;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandsTest {

    private static final byte[] ARTIFACT = "hello gatehouse\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void verifyBundleAcceptsAGoodBundleByPathAndDigestAndExplainsARejection() throws Exception {
        SigstoreFixtures sigstore = new SigstoreFixtures();
        KeyPair key = SigstoreFixtures.key("P-256");
        Path bundle = Files.write(dir.resolve("bundle.json"), sigstore.messageSignatureBundle(ARTIFACT, key,
                sigstore.issue(key.getPublic(), SigstoreFixtures.SUBJECT, SigstoreFixtures.ISSUER)));
        Path root = sigstore.writeTrustedRoot(dir);
        Path artifact = Files.write(dir.resolve("artifact.txt"), ARTIFACT);
        String digest = "sha256:" + HexFormat.of().formatHex(SigstoreFixtures.sha256(ARTIFACT));
        for (String input : List.of(artifact.toString(), digest)) {
            CliRun ok = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--certificate-identity", SigstoreFixtures.SUBJECT,
                    "--certificate-oidc-issuer", SigstoreFixtures.ISSUER, "--trusted-root", root.toString(), input);
            assertThat(ok.exitCode()).as(ok.err()).isZero();
            assertThat(ok.out()).startsWith("OK: ");
        }
        CliRun wrong = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--certificate-identity", "https://evil.example/x",
                "--certificate-oidc-issuer", SigstoreFixtures.ISSUER, "--trusted-root", root.toString(), artifact.toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err().strip()).contains("does not match").doesNotContain("\n");
    }

    @Test
    void badInputIsAOneLineErrorWithExitTwo() throws Exception {
        SigstoreFixtures sigstore = new SigstoreFixtures();
        byte[] good = sigstore.messageSignatureBundle(ARTIFACT, SigstoreFixtures.key("P-256"), null);
        Path truncated = Files.write(dir.resolve("truncated.json"), Arrays.copyOf(good, good.length - 40));
        Path unknown = Files.writeString(dir.resolve("unknown.json"), new String(good, StandardCharsets.UTF_8)
                .replace("application/vnd.dev.sigstore.bundle.v0.3+json", "application/vnd.dev.sigstore.bundle+json;version=99.9"));
        Path root = sigstore.writeTrustedRoot(dir);
        Path key = Files.writeString(dir.resolve("key.pub"), SigstoreFixtures.pem("PUBLIC KEY", SigstoreFixtures.key("P-256").getPublic().getEncoded()));
        Path artifact = Files.write(dir.resolve("a.txt"), ARTIFACT);
        List<List<String>> cases = List.of(
                List.of("--bundle", truncated.toString(), "--key", key.toString(), "--trusted-root", root.toString(), artifact.toString()),
                List.of("--bundle", unknown.toString(), "--key", key.toString(), "--trusted-root", root.toString(), artifact.toString()),
                List.of("--bundle", dir.resolve("none.json").toString(), "--key", key.toString(), "--trusted-root", root.toString(), artifact.toString()),
                List.of("--bundle", unknown.toString(), "--key", dir.resolve("none.pub").toString(), "--trusted-root", root.toString(), artifact.toString()),
                List.of("--bundle", unknown.toString(), "--key", key.toString(), "--trusted-root", dir.resolve("none-root.json").toString(), artifact.toString()),
                List.of("--bundle", unknown.toString(), "--key", key.toString(), "--trusted-root", root.toString(), dir.resolve("no-artifact").toString()));
        for (List<String> args : cases) {
            String[] argv = new String[args.size() + 1];
            argv[0] = "verify-bundle";
            for (int i = 0; i < args.size(); i++) {
                argv[i + 1] = args.get(i);
            }
            CliRun run = CliRun.of(argv);
            assertThat(run.exitCode()).as("%s -> %s", args, run.err()).isEqualTo(2);
            assertThat(run.err().strip()).as("%s", args).doesNotContain("\n").doesNotContain("Exception").startsWith("gatehouse verify-bundle: ");
        }
    }

    @Test
    void verifySignatureReportsEachSignatureOfAnOciLayoutImage() throws Exception {
        Path layoutDir = dir.resolve("layout");
        OciLayout layout = OciLayout.openOrCreate(layoutDir);
        Digest image = TestImages.image().pushTo(layout, "v1").digest();
        KeyPair trusted = SigstoreFixtures.key("P-256");
        KeyPair stranger = SigstoreFixtures.key("P-256");
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"registry.test/app\"},\"image\":{\"docker-manifest-digest\":\""
                + image + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        Descriptor blob = layout.putBlob(payload, MediaTypes.COSIGN_SIMPLE_SIGNING);
        Descriptor config = layout.putBlob("{}".getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_CONFIG);
        List<Descriptor> layers = List.of(
                blob.withAnnotations(Map.of("dev.cosignproject.cosign/signature",
                        Base64.getEncoder().encodeToString(SigstoreFixtures.sign(stranger.getPrivate(), payload)))),
                blob.withAnnotations(Map.of("dev.cosignproject.cosign/signature",
                        Base64.getEncoder().encodeToString(SigstoreFixtures.sign(trusted.getPrivate(), payload)))));
        layout.putManifest(ImageManifest.build(null, config, layers, null, Map.of()), CosignTag.SIGNATURE.tagFor(image));
        Path key = Files.writeString(dir.resolve("cosign.pub"), SigstoreFixtures.pem("PUBLIC KEY", trusted.getPublic().getEncoded()));

        CliRun run = CliRun.of("verify-signature", "--key", key.toString(), "--insecure-ignore-tlog", "oci:" + layoutDir + ":v1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("signature 0 (").contains("not verified: cosign.pub: signature does not verify")
                .contains("signature 1 (").contains("verified: key cosign.pub (ECDSA P-256)");

        Path config2 = Files.writeString(dir.resolve("trust.yaml"), """
                policies:
                  - images: ["oci:**"]
                    authorities:
                      - name: publisher
                        key: {file: cosign.pub}
                        tlog: none
                """);
        assertThat(CliRun.of("verify-signature", "--trust-config", config2.toString(), "oci:" + layoutDir + ":v1").exitCode()).isZero();

        Path otherKey = Files.writeString(dir.resolve("other.pub"), SigstoreFixtures.pem("PUBLIC KEY", SigstoreFixtures.key("P-256").getPublic().getEncoded()));
        CliRun rejected = CliRun.of("verify-signature", "--key", otherKey.toString(), "--insecure-ignore-tlog", "oci:" + layoutDir + ":v1");
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.err()).contains("no trusted signature verified");
    }
}
