package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.sample.TarLayer;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.verify.VerificationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Verified images and policy inputs built in code for the rebuild tests. */
final class RebuildFixtures {

    static final String REGISTRY = "registry.test:5000";

    private RebuildFixtures() {}

    static Digest digest(String seed) {
        return Digest.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    /** A policy input with a verified signature (or none) and the given base annotations. */
    static ObjectNode input(boolean signed, String baseName, Digest baseDigest) {
        ObjectNode input = UntrustedJson.mapper().createObjectNode();
        if (signed) {
            input.putArray("signatures").addObject().put("kind", "cosign");
        } else {
            input.putArray("signatures");
        }
        ObjectNode image = input.putObject("image");
        ObjectNode annotations = image.putObject("annotations");
        image.putObject("config").putObject("labels");
        if (baseName != null) {
            annotations.put(BaseImageEvidence.BASE_NAME, baseName);
            annotations.put(BaseImageEvidence.BASE_DIGEST, baseDigest.toString());
        }
        input.putNull("provenance");
        return input;
    }

    static VerifiedImage verified(String repository, Digest digest, String tag, ObjectNode input, Decision.Outcome outcome, Instant at) {
        Decision decision = new Decision(outcome, List.of(), List.of(), "test");
        VerificationReport report = new VerificationReport(REGISTRY + "/" + repository + ":" + tag, digest.toString(), "linux/amd64",
                decision, List.of(), List.of(), input, new VerificationReport.Timings(0, 0, 0, 0));
        return new VerifiedImage(REGISTRY, repository, digest, tag, "push", "test", report, at);
    }

    static final String TRUST_CONFIG = "trust.yaml";
    static final String TRUSTED_BUILDERS = "trusted-builders.json";

    /**
     * Trust material as an operator writes it for hardened rebuilds: a trust configuration naming
     * each key (the image publisher's, the platform's), and a trusted-builders list naming the
     * rebuild runner {@code builderId} at {@code level}.
     */
    static void writeTrust(Path dir, String builderId, int level, LocalKeySigner... keys) throws IOException {
        Files.createDirectories(dir);
        StringBuilder trust = new StringBuilder("""
                version: 1
                policies:
                  - name: rebuilds
                    images: ["**"]
                    authorities:
                """);
        for (int i = 0; i < keys.length; i++) {
            Files.writeString(dir.resolve("key-" + i + ".pub"), keys[i].publicKeyPem(), StandardCharsets.US_ASCII);
            trust.append("      - name: key-").append(i).append("\n        key: {file: key-").append(i)
                    .append(".pub}\n        tlog: none\n");
        }
        Files.writeString(dir.resolve(TRUST_CONFIG), trust, StandardCharsets.UTF_8);
        String builder = builderId.substring(0, builderId.indexOf('@'));
        Files.writeString(dir.resolve(TRUSTED_BUILDERS), """
                {"builders": [{"id": "%s", "platform": "gatehouse-rebuild", "role": "hosted-builder", "slsaLevel": %d,
                  "trustedByDefault": ["image"], "buildTypes": {"%s": "generator"}}]}
                """.formatted(builder, level, RebuildProvenance.BUILD_TYPE), StandardCharsets.UTF_8);
    }

    /** Pushes a one-layer image of {@code files} that runs as {@code user}, tagged {@code tag}, as a build would have. */
    static Descriptor pushImage(OciRepository repository, String tag, String user, List<TarLayer.Entry> files, Map<String, String> annotations)
            throws Exception {
        byte[] tar = TarLayer.tar(files);
        ObjectNode config = UntrustedJson.mapper().createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config").put("User", user);
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(Digest.sha256(tar).toString());
        Descriptor configBlob = repository.putBlob(UntrustedJson.mapper().writeValueAsBytes(config), MediaTypes.OCI_CONFIG);
        Descriptor layer = repository.putBlob(TarLayer.gzip(tar), MediaTypes.OCI_LAYER_TAR_GZIP);
        return repository.putManifest(ImageManifest.build(null, configBlob, List.of(layer), null, annotations), tag);
    }
}
