package dev.gatehouse.rebuild;

import static dev.gatehouse.rebuild.RebuildFixtures.digest;
import static dev.gatehouse.rebuild.RebuildFixtures.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.ports.ImageGraph;
import org.junit.jupiter.api.Test;

class BaseImageEvidenceTest {

    @Test
    void baseAnnotationsOfASignedImageNameTheBase() {
        var found = BaseImageEvidence.of(input(true, "registry.test:5000/base/static:1", digest("base")));
        assertThat(found.bases()).extracting(BaseImageEvidence.Base::ref)
                .containsExactly(new ImageGraph.BaseRef("registry.test:5000/base/static", "1", digest("base")));
        assertThat(found.bases().get(0).source()).isEqualTo("annotation");
    }

    @Test
    void baseAnnotationsOfAnUnsignedImageDoNotCount() {
        var found = BaseImageEvidence.of(input(false, "registry.test:5000/base/static:1", digest("base")));
        assertThat(found.bases()).isEmpty();
        assertThat(found.ignored()).singleElement().asString().contains("no trusted signature");
    }

    @Test
    void verifiedProvenanceResolvedDependenciesNameBasesEvenWithoutSignature() {
        ObjectNode input = input(false, null, null);
        ObjectNode provenance = input.putObject("provenance");
        var deps = provenance.putArray("resolved_dependencies");
        deps.addObject().put("uri", "git+https://github.com/acme/app@refs/heads/main").putObject("digest").put("sha1", "abc");
        deps.addObject().put("uri", "pkg:docker/library/alpine@3.19?platform=linux%2Famd64")
                .putObject("digest").put("sha256", digest("alpine").hex());
        deps.addObject().put("uri", "pkg:oci/static@sha256:" + digest("static").hex()
                        + "?repository_url=registry.test:5000/base/static&tag=2")
                .putObject("digest").put("sha256", digest("static").hex());
        deps.addObject().put("uri", "oci://registry.test:5000/tools/builder:1").putObject("digest");
        var found = BaseImageEvidence.of(input);
        assertThat(found.bases()).extracting(BaseImageEvidence.Base::ref).containsExactly(
                new ImageGraph.BaseRef("docker.io/library/alpine", "3.19", digest("alpine")),
                new ImageGraph.BaseRef("registry.test:5000/base/static", "2", digest("static")));
        assertThat(found.ignored()).singleElement().asString().contains("registry.test:5000/tools/builder:1").contains("no usable digest");
    }

    @Test
    void malformedBaseNameIsIgnoredWithAReason() {
        ObjectNode input = input(true, "Not A Reference!!", digest("x"));
        var found = BaseImageEvidence.of(input);
        assertThat(found.bases()).isEmpty();
        assertThat(found.ignored()).singleElement().asString().startsWith("annotation ");
    }

    @Test
    void theSameBaseFromAnnotationAndLabelIsOneBase() {
        ObjectNode input = input(true, "registry.test:5000/base:1", digest("b"));
        ((ObjectNode) input.path("image").path("config").path("labels")).put(BaseImageEvidence.BASE_NAME, "registry.test:5000/base:1")
                .put(BaseImageEvidence.BASE_DIGEST, digest("b").toString());
        assertThat(BaseImageEvidence.of(input).bases()).hasSize(1);
    }
}
