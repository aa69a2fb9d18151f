package dev.gatehouse.sbom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SBOMs (CycloneDX 1.4-1.7, SPDX 2.2/2.3, bare, in a statement or a DSSE envelope) are read or refused with a MalformedInputException. */
class SbomFuzzTest {

    private static final SbomReader READER = new SbomReader();

    @BeforeAll
    static void loadSchemas() throws Exception {
        // The JSON schemas load on first use (seconds); keep that out of the per-input time bound.
        READER.read(SbomFixtures.bytes(SbomFixtures.cycloneDx("1.6", 1)));
        READER.read(SbomFixtures.bytes(SbomFixtures.spdx("2.3", 1)));
    }

    static Stream<Arguments> sboms() {
        return Fuzzing.seeds(List.of(
                SbomFixtures.bytes(SbomFixtures.cycloneDx("1.6", 3)),
                SbomFixtures.bytes(SbomFixtures.cycloneDx("1.4", 2)),
                SbomFixtures.bytes(SbomFixtures.spdx("2.3", 3)),
                SbomFixtures.bytes(SbomFixtures.spdx("2.2", 2)),
                SbomFixtures.bytes(SbomFixtures.dsse(SbomFixtures.statement("https://cyclonedx.org/bom", SbomFixtures.cycloneDx("1.5", 2))))));
    }

    @MethodSource("sboms")
    @FuzzTest
    void sbomsAreReadOrRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, READER::read, MalformedInputException.class);
    }
}
