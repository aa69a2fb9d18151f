package dev.gatehouse.io.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The property every Jazzer fuzz test of an outside-input parser checks, and seed corpora built
 * from documents generated in code. Run as regression tests, the seeds are the inputs; with
 * {@code JAZZER_FUZZ=1} they start the corpus that libFuzzer mutates (see docs/performance.md).
 */
public final class Fuzzing {

    private Fuzzing() {}

    @FunctionalInterface
    public interface Parser {
        void parse(byte[] input) throws Exception;
    }

    /**
     * Runs {@code parser}: it must accept the input or throw one of the {@code documented} exception
     * types with a one-line message. Anything else (a runtime exception, an error such as
     * OutOfMemoryError or StackOverflowError) propagates, and Jazzer reports it as a finding.
     */
    @SafeVarargs
    public static void acceptOrReject(byte[] input, Parser parser, Class<? extends Exception>... documented) throws Exception {
        try {
            parser.parse(input);
        } catch (Exception e) {
            if (Arrays.stream(documented).noneMatch(type -> type.isInstance(e))) {
                throw e;
            }
            String message = e.getMessage();
            if (message == null || message.isBlank() || message.contains("\n")) {
                throw new AssertionError("a rejection must be one line naming the problem, got: " + message, e);
            }
        }
    }

    /** Each document whole, cut short at a few places, and with one byte flipped: the regression inputs. */
    public static Stream<Arguments> seeds(List<byte[]> documents) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] document : documents) {
            out.add(document);
            for (int cut = 1; cut < 4; cut++) {
                out.add(Arrays.copyOf(document, document.length * cut / 4));
            }
            byte[] flipped = document.clone();
            flipped[document.length / 2] ^= 0x20;
            out.add(flipped);
        }
        return out.stream().map(bytes -> Arguments.of((Object) bytes));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
