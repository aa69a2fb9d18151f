package dev.gatehouse.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.io.UntrustedJson;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Measures how long validating and reading a 5,000-component image SBOM takes (the admission path
 * does this per image). Prints the figures; asserts only the results, never the time.
 */
class SbomReadTimingTest {

    private static final int COMPONENTS = 5_000;
    private static final int RUNS = 3;

    @Test
    void printsTimeToValidateAndRead5000ComponentSboms() throws Exception {
        SbomReader reader = new SbomReader();
        byte[][] documents = {
            SbomFixtures.bytes(SbomFixtures.cycloneDx("1.6", COMPONENTS)),
            SbomFixtures.bytes(SbomFixtures.spdx("2.3", COMPONENTS)),
        };
        String[] names = {"CycloneDX 1.6", "SPDX 2.3"};
        for (int d = 0; d < documents.length; d++) {
            final int dd = d;
            long start = System.nanoTime();
            Inventory first = reader.read(documents[d]);
            long cold = System.nanoTime() - start;
            long[] warm = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                start = System.nanoTime();
                Inventory inventory = reader.read(documents[d]);
                warm[i] = System.nanoTime() - start;
                assertThat(inventory.components()).hasSameSizeAs(first.components());
            }
            Arrays.sort(warm);
            long parse = median(() -> UntrustedJson.parse(documents[dd], "SBOM", SbomReader.DEFAULT_MAX_BYTES));
            long validate = median(() -> reader.validate(documents[dd]));
            System.out.printf("SBOM timing: %-22s %,d bytes, %d components: first read %.1f ms, warm median %.1f ms "
                            + "(min %.1f, max %.1f) over %d runs; of which JSON parse %.1f ms, parse+validate %.1f ms%n",
                    names[d], documents[d].length, first.components().size(), cold / 1e6, warm[RUNS / 2] / 1e6,
                    warm[0] / 1e6, warm[RUNS - 1] / 1e6, RUNS, parse / 1e6, validate / 1e6);
            assertThat(first.components()).hasSizeGreaterThanOrEqualTo(COMPONENTS);
        }
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static long median(Step step) throws Exception {
        long[] times = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            assertThat(step.run()).isNotNull();
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }
}
