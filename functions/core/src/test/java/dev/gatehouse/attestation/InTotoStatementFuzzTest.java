package dev.gatehouse.attestation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.sbom.SbomFixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** in-toto statements (v0.1 and v1, provenance and SBOM predicates) parse or are refused with a MalformedInputException. */
class InTotoStatementFuzzTest {

    static Stream<Arguments> statements() {
        return Fuzzing.seeds(List.of(
                SbomFixtures.bytes(SbomFixtures.statement("https://spdx.dev/Document", SbomFixtures.spdx("2.3", 2))),
                SbomFixtures.bytes(ProvenanceFixtures.statement("https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3",
                        "refs/heads/main", "branch", "push"))));
    }

    @MethodSource("statements")
    @FuzzTest
    void statementsParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, InTotoStatement::parse, MalformedInputException.class);
    }
}
