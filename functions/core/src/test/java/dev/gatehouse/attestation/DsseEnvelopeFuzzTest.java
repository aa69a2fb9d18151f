package dev.gatehouse.attestation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.sbom.SbomFixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** DSSE envelopes (and the in-toto statement inside) parse or are refused with a MalformedInputException. */
class DsseEnvelopeFuzzTest {

    static Stream<Arguments> envelopes() {
        var key = ProvenanceFixtures.keyPair();
        return Fuzzing.seeds(List.of(
                SbomFixtures.bytes(SbomFixtures.dsse(SbomFixtures.statement("https://cyclonedx.org/bom", SbomFixtures.cycloneDx("1.6", 2)))),
                ProvenanceFixtures.envelope(ProvenanceFixtures.statement(
                        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0",
                        "refs/tags/v1.2.3", "tag", "push"), key,
                        ProvenanceFixtures.certificate(key, "https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1.2.3",
                                "acme/widget"))));
    }

    @MethodSource("envelopes")
    @FuzzTest
    void envelopesParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, bytes -> InTotoStatement.parse(DsseEnvelope.parse(bytes).payload()), MalformedInputException.class);
    }
}
