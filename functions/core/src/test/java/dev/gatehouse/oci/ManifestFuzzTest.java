package dev.gatehouse.oci;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.oci.testing.TestImages;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OCI and Docker manifests and indexes parse (with or without a Content-Type) or are refused with a MalformedInputException. */
class ManifestFuzzTest {

    static Stream<Arguments> manifests() {
        TestImages.TestIndex multi = TestImages.multiArch(Platform.parse("linux/arm/v7"), Platform.of("linux", "amd64"));
        ImageManifest referrer = ImageManifest.build("application/spdx+json", Descriptor.of(MediaTypes.OCI_EMPTY, new byte[] {'{', '}'}),
                List.of(Descriptor.of("application/spdx+json", new byte[] {1}).withAnnotations(Map.of("a", "b"))),
                multi.index().descriptor(), Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
        String docker = """
                {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                 "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1470, "digest": "sha256:%s"},
                 "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 3370706, "digest": "sha256:%s",
                   "urls": ["https://example.invalid/layer"]}]}
                """.formatted("1".repeat(64), "2".repeat(64));
        return Fuzzing.seeds(List.of(multi.index().raw(), multi.images().get(0).manifest().raw(), referrer.raw(), Fuzzing.utf8(docker)));
    }

    @MethodSource("manifests")
    @FuzzTest
    void manifestsParseOrAreRejected(byte[] input) throws Exception {
        // The first byte picks the Content-Type the registry claimed, as a registry picks it too.
        String contentType = input.length == 0 ? null : switch (input[0] & 3) {
            case 0 -> MediaTypes.OCI_MANIFEST;
            case 1 -> MediaTypes.OCI_INDEX;
            case 2 -> MediaTypes.DOCKER_MANIFEST;
            default -> null;
        };
        Fuzzing.acceptOrReject(input, bytes -> Manifest.parse(bytes, contentType), MalformedInputException.class);
    }
}
