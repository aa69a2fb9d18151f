package dev.gatehouse.handlers.push;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.MediaTypes;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Registry events (ECR through EventBridge, distribution notification envelopes) parse or are refused with a MalformedInputException. */
class RegistryEventParserFuzzTest {

    private static final RegistryEventParser PARSER = new RegistryEventParser();

    static Stream<Arguments> events() {
        Digest digest = Digest.parse("sha256:" + "ab".repeat(32));
        String envelope = "{\"events\":["
                + RegistryEventParserTest.distributionEvent("push", MediaTypes.OCI_MANIFEST, digest, "team/app", "1.0",
                        "http://127.0.0.1:5000/v2/team/app/manifests/" + digest, "127.0.0.1:5000") + ","
                + RegistryEventParserTest.distributionEvent("push", MediaTypes.OCI_MANIFEST, digest, "team/app", digest.tagForm() + ".sig",
                        null, "registry.local") + ","
                + RegistryEventParserTest.distributionEvent("pull", "application/octet-stream", digest, "team/app", null, null, null) + "]}";
        return Fuzzing.seeds(List.of(
                Fuzzing.utf8(RegistryEventParserTest.ecr("PUSH", "SUCCESS", digest.toString(), "1.0")),
                Fuzzing.utf8(RegistryEventParserTest.ecr("DELETE", "SUCCESS", digest.toString(), null)),
                Fuzzing.utf8(envelope)));
    }

    @MethodSource("events")
    @FuzzTest
    void registryEventsParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, bytes -> Objects.requireNonNull(PARSER.parse(bytes)), MalformedInputException.class);
    }
}
