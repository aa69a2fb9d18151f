package dev.gatehouse.lambda;

import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.signature.TrustConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trust configuration and trusted-builders list a deployment verifies with, read from the
 * bundle bucket: the configuration's folder is copied whole (at most {@value #MAX_FILES} files of
 * {@value #MAX_FILE_BYTES} bytes) to a private temporary folder, so the keys and trusted roots it
 * names by relative path are read as on a laptop. {@link #digest()} covers every file, so a
 * verdict cached under it is invalidated by any change to keys, identities or roots.
 */
public record TrustMaterial(TrustConfig trust, TrustedBuilders builders, Digest digest) {

    static final int MAX_FILES = 100;
    static final long MAX_FILE_BYTES = 1024 * 1024;

    public static TrustMaterial load(BlobStore bundles, String trustConfigKey, String trustedBuildersKey) throws MalformedInputException {
        int slash = trustConfigKey.lastIndexOf('/');
        String folder = slash < 0 ? "" : trustConfigKey.substring(0, slash + 1);
        List<String> keys = bundles.list(folder, MAX_FILES + 1);
        if (keys.size() > MAX_FILES) {
            throw new IllegalStateException("trust configuration folder '" + folder + "' holds more than " + MAX_FILES + " files");
        }
        if (!keys.contains(trustConfigKey)) {
            throw new IllegalStateException("trust configuration " + trustConfigKey + " is not in the bundle bucket (GATEHOUSE_TRUST_CONFIG)");
        }
        Map<String, byte[]> files = new TreeMap<>();
        for (String key : keys) {
            bundles.get(key, MAX_FILE_BYTES).ifPresent(content -> files.put(key, content));
        }
        byte[] builders = null;
        if (trustedBuildersKey != null) {
            builders = bundles.get(trustedBuildersKey, MAX_FILE_BYTES).orElseThrow(() -> new IllegalStateException(
                    "trusted builders list " + trustedBuildersKey + " is not in the bundle bucket (GATEHOUSE_TRUSTED_BUILDERS)"));
            files.put(trustedBuildersKey, builders);
        }
        try {
            Path dir = Files.createTempDirectory("gatehouse-trust-");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (!file.getKey().startsWith(folder)) {
                    continue;
                }
                Path target = dir.resolve(file.getKey().substring(folder.length())).normalize();
                if (!target.startsWith(dir)) {
                    throw new IllegalStateException("trust file key " + file.getKey() + " leaves its folder");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            TrustConfig trust = TrustConfig.read(dir.resolve(trustConfigKey.substring(folder.length())));
            return new TrustMaterial(trust, builders == null ? TrustedBuilders.defaults() : TrustedBuilders.parse(builders), digestOf(files));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the trust configuration: " + e.getMessage(), e);
        }
    }

    private static Digest digestOf(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                sha.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(MessageDigest.getInstance("SHA-256").digest(file.getValue()));
            }
            return new Digest("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
