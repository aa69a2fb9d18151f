package dev.gatehouse.signature;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** trusted_root.json files (CAs, logs, validity windows) load or are refused with a MalformedInputException. */
class TrustedRootFuzzTest {

    static Stream<Arguments> roots() {
        return Fuzzing.seeds(List.of(new SigstoreFixtures().trustedRootJson()));
    }

    @MethodSource("roots")
    @FuzzTest
    void trustedRootsLoadOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, bytes -> TrustedRoot.parse(bytes, "fuzz"), MalformedInputException.class);
    }
}
