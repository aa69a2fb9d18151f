package dev.gatehouse.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.ImageConfig;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciLayout;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.sbom.SbomReader;
import dev.gatehouse.signing.LocalKeySigner;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyInputTest {

    @TempDir
    Path dir;

    static Schema schema() throws Exception {
        try (InputStream in = PolicyInput.class.getResourceAsStream("/dev/gatehouse/policy/policy-input.v1.schema.json")) {
            JsonNode node = UntrustedJson.mapper().readTree(in);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(node);
        }
    }

    @Test
    void documentWithEveryKindOfFactMatchesTheSchema() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        new SampleImages(layout, LocalKeySigner.generate("k"), Instant.now()).build("example/app", "v1", Set.of());
        Target target = new TargetResolver(OciRepositories.anonymous()).resolve(ImageReference.parse("oci:" + dir + ":v1"), null);
        ImageConfig config = ImageConfig.fetch(target.repository(), target.manifest());
        var inventory = new SbomReader().read(("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,"
                + "\"components\":[{\"type\":\"library\",\"name\":\"busybox\",\"version\":\"1.36\","
                + "\"purl\":\"pkg:apk/alpine/busybox@1.36\",\"licenses\":[{\"license\":{\"id\":\"GPL-2.0-only\"}}]}]}").getBytes());

        JsonNode doc = new PolicyInput(target, config, Instant.parse("2026-11-26T12:00:00Z"), "cli")
                .policyRevision("r1")
                .signature(new Facts.Signature("key", "cosign-tag", new Facts.Signer("k", null, null), false, "sample", target.digest().toString()))
                .attestation(new Facts.Attestation("https://slsa.dev/provenance/v1", new Facts.Signer("k", null, null), null, "cosign-tag"))
                .reject(new Facts.Rejection("attestation", null, "https://openvex.dev/ns/v0.2.0", "signature does not verify"))
                .provenance(new Facts.Provenance("https://slsa.dev/provenance/v1", SampleImages.SAMPLE_BUILDER, true, 3, "bt",
                        "git+https://x", "refs/heads/main", Map.of("sha1", "abc"), Map.of("k", "v"),
                        List.of(new Facts.Dependency("oci://reg/base:1", Map.of("sha256", "b".repeat(64))))))
                .sbom(inventory, true)
                .finding(new Facts.Finding("CVE-1", List.of("GHSA-1"), "critical", 9.8, "pkg:apk/alpine/busybox@1.36", "busybox",
                        "1.36", true, List.of("1.37"), "2026-01-01T00:00:00Z", null, null, true,
                        new Facts.VexDecision("not_affected", "component_not_present", null, "doc", "me", null)))
                .vexDocument(new Facts.VexDocument("doc", "me", "openvex", true, "attestation"))
                .toJson();

        List<Error> errors = schema().validate(doc);
        assertThat(errors).as(doc.toPrettyString()).isEmpty();
        assertThat(doc.at("/image/config/user").asText()).isEqualTo("65532:65532");
        assertThat(doc.at("/image/base/name").asText()).isEqualTo(SampleImages.APPROVED_BASE);
        assertThat(doc.at("/sbom/components/0/kind").asText()).isEqualTo("os");
    }

    @Test
    void absentEvidenceIsNullNotEmpty() throws Exception {
        OciLayout layout = OciLayout.openOrCreate(dir);
        new SampleImages(layout, LocalKeySigner.generate("k"), Instant.now()).build("example/app", "v1", Set.of());
        Target target = new TargetResolver(OciRepositories.anonymous()).resolve(ImageReference.parse("oci:" + dir + ":v1"), null);
        JsonNode doc = new PolicyInput(target, ImageConfig.fetch(target.repository(), target.manifest()), Instant.now(), "push").toJson();
        assertThat(doc.get("provenance").isNull()).isTrue();
        assertThat(doc.get("sbom").isNull()).isTrue();
        assertThat(doc.get("helm").isNull()).isTrue();
        assertThat(schema().validate(doc)).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("schema_version", "v2");
        assertThat(schema().validate(doc)).isNotEmpty();
    }
}
