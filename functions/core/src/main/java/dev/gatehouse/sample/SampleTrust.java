package dev.gatehouse.sample;

import dev.gatehouse.signing.LocalKeySigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trust material that goes with the sample images: a trust configuration naming the sample
 * signing key (no transparency log, as a key-signing publisher like Docker Hardened Images uses),
 * and a trusted-builders list that names the sample builder at SLSA Build L3.
 */
public final class SampleTrust {

    public static final String TRUST_CONFIG = "trust.yaml";
    public static final String PUBLIC_KEY = "sample-key.pub";
    public static final String TRUSTED_BUILDERS = "trusted-builders.json";

    private SampleTrust() {}

    /** Writes the trust configuration, the public key and the trusted-builders list into {@code dir}. */
    public static void write(Path dir, LocalKeySigner signer) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(PUBLIC_KEY), signer.publicKeyPem(), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve(TRUST_CONFIG), """
                version: 1
                policies:
                  - name: gatehouse-samples
                    images: ["**"]
                    authorities:
                      - name: sample-publisher
                        key: {file: %s}
                        tlog: none
                """.formatted(PUBLIC_KEY), StandardCharsets.UTF_8);
        String builder = SampleImages.SAMPLE_BUILDER.substring(0, SampleImages.SAMPLE_BUILDER.indexOf('@'));
        Files.writeString(dir.resolve(TRUSTED_BUILDERS), """
                {
                  "builders": [
                    {
                      "id": "%s",
                      "platform": "gatehouse-sample",
                      "role": "hosted-builder",
                      "slsaLevel": 3,
                      "trustedByDefault": ["image"],
                      "buildTypes": {"%s": "generator"}
                    }
                  ]
                }
                """.formatted(builder, SampleImages.SAMPLE_BUILD_TYPE), StandardCharsets.UTF_8);
    }
}
