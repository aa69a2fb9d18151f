package dev.gatehouse.oci;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.oci.testing.TestImages;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Image configuration blobs parse or are refused with a MalformedInputException. */
class ImageConfigFuzzTest {

    static Stream<Arguments> configs() {
        String full = """
                {"architecture": "amd64", "os": "linux", "created": "2026-11-01T10:00:00Z", "author": "acme",
                 "config": {"User": "65532:65532", "Entrypoint": ["/app"], "Cmd": ["--serve"], "Env": ["PATH=/usr/bin", "A=b"],
                   "ExposedPorts": {"8080/tcp": {}}, "WorkingDir": "/", "Labels": {"org.opencontainers.image.source": "https://github.com/acme/app",
                   "org.opencontainers.image.base.name": "gcr.io/distroless/static:nonroot"}},
                 "rootfs": {"type": "layers", "diff_ids": ["sha256:%s"]},
                 "history": [{"created": "2026-11-01T10:00:00Z", "created_by": "COPY app /app", "empty_layer": false}]}
                """.formatted("3".repeat(64));
        return Fuzzing.seeds(List.of(TestImages.image().config(), Fuzzing.utf8(full)));
    }

    @MethodSource("configs")
    @FuzzTest
    void imageConfigsParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, ImageConfig::parse, MalformedInputException.class);
    }
}
