package dev.gatehouse.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated manifests, indexes, references and challenges fail only with the documented one-line exceptions. */
class OciParsersFuzzTest {

    private static final int ROUNDS = 1500;

    private static byte[] mutate(byte[] input, Random random) {
        byte[] b = input.clone();
        switch (random.nextInt(5)) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            case 2 -> {
                int at = random.nextInt(b.length);
                byte[] token = List.of("{", "}", "[", "]", "\"", ":", ",", "-1", "1e999", "null", "\"mediaType\":1", "\\u0000")
                        .get(random.nextInt(12)).getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[b.length + token.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(token, 0, out, at, token.length);
                System.arraycopy(b, at, out, at + token.length, b.length - at);
                b = out;
            }
            case 3 -> {
                int from = random.nextInt(b.length);
                int to = Math.min(b.length, from + random.nextInt(20));
                byte[] out = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, b.length - to);
                b = out;
            }
            default -> {
                String s = new String(b, StandardCharsets.UTF_8);
                String[] swaps = {"\"size\":", "\"digest\":", "\"os\":", "\"manifests\":", "\"layers\":", "\"schemaVersion\":"};
                String from = swaps[random.nextInt(swaps.length)];
                b = s.replace(from, from + "{\"x\":").getBytes(StandardCharsets.UTF_8);
            }
        }
        return b;
    }

    @Test
    void mutatedManifestsAndIndexesFailOnlyAsMalformed() {
        TestImages.TestIndex multi = TestImages.multiArch(Platform.parse("linux/arm/v7"), Platform.of("linux", "amd64"));
        Descriptor subject = multi.index().descriptor();
        ImageManifest referrer = ImageManifest.build("application/spdx+json", Descriptor.of(MediaTypes.OCI_EMPTY, new byte[] {'{', '}'}),
                List.of(Descriptor.of("application/spdx+json", new byte[] {1}).withAnnotations(Map.of("a", "b"))), subject,
                Map.of("org.opencontainers.image.created", "2026-01-01T00:00:00Z"));
        List<byte[]> seeds = List.of(multi.index().raw(), multi.images().get(0).manifest().raw(), referrer.raw());
        Random random = new Random(20261126);
        int parsed = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] input = mutate(seeds.get(i % seeds.size()), random);
            String contentType = random.nextBoolean() ? null : List.of(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, "text/plain")
                    .get(random.nextInt(3));
            try {
                Manifest.parse(input, contentType);
                parsed++;
            } catch (MalformedInputException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            } catch (RuntimeException e) {
                fail("unexpected " + e + " for input " + new String(input, StandardCharsets.UTF_8), e);
            }
        }
        assertThat(parsed).isPositive();
    }

    @Test
    void randomReferencesFailOnlyWithIllegalArgument() {
        Random random = new Random(7);
        String alphabet = "abcAZ019:/@._-+ sha256:" + "e".repeat(8);
        for (int i = 0; i < ROUNDS; i++) {
            StringBuilder s = new StringBuilder(random.nextBoolean() ? "oci:" : "");
            for (int n = random.nextInt(40); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                ImageReference ref = ImageReference.parse(s.toString());
                assertThat(ImageReference.parse(ref.toString()).toString()).isEqualTo(ref.toString());
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }

    @Test
    void challengeParserNeverThrows() {
        Random random = new Random(11);
        String alphabet = "Bearer realm=\"https://x/token\",service=\"s\",scope=\"repository:a:pull\" ,=\\\"";
        for (int i = 0; i < ROUNDS; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(60); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            AuthChallenge.parse(s.toString());
        }
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull,push\"");
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.param("scope")).isEqualTo("repository:a/b:pull,push");
    }
}
