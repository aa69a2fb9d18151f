package dev.gatehouse.oci.testing;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageIndex;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.RegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Tiny random images for tests: one gzip "layer" of random bytes, a config that names the platform,
 * and OCI manifests and indexes over them. Each call makes new digests.
 */
public final class TestImages {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestImages() {}

    /** A single-platform image, not yet pushed anywhere. */
    public record TestImage(ImageManifest manifest, byte[] config, byte[] layer, Platform platform) {

        public Descriptor descriptor() {
            return manifest.descriptor().withPlatform(platform);
        }

        /** Pushes blobs and the manifest; {@code tag} may be null to push by digest. */
        public Descriptor pushTo(OciRepository repository, String tag) throws RegistryException {
            repository.putBlob(config, manifest.config().mediaType());
            repository.putBlob(layer, manifest.layers().get(0).mediaType());
            return repository.putManifest(manifest, tag);
        }
    }

    /** A multi-platform image: an OCI index over one {@link TestImage} per platform. */
    public record TestIndex(ImageIndex index, List<TestImage> images) {

        public Descriptor pushTo(OciRepository repository, String tag) throws RegistryException {
            for (TestImage image : images) {
                image.pushTo(repository, null);
            }
            return repository.putManifest(index, tag);
        }
    }

    public static TestImage image() {
        return image(Platform.of("linux", "amd64"));
    }

    public static TestImage image(Platform platform) {
        byte[] layer = gzip(randomBytes(256));
        String diffId = "sha256:" + HexFormat.of().formatHex(randomBytes(32));
        String config = "{\"architecture\":\"" + platform.architecture() + "\",\"os\":\"" + platform.os() + "\","
                + (platform.variant() == null ? "" : "\"variant\":\"" + platform.variant() + "\",")
                + "\"config\":{\"Env\":[\"NONCE=" + HexFormat.of().formatHex(randomBytes(8)) + "\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        ImageManifest manifest = ImageManifest.build(null, Descriptor.of(MediaTypes.OCI_CONFIG, configBytes),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_TAR_GZIP, layer)), null, Map.of());
        return new TestImage(manifest, configBytes, layer, platform);
    }

    public static TestIndex multiArch(Platform... platforms) {
        List<TestImage> images = new ArrayList<>();
        List<Descriptor> entries = new ArrayList<>();
        for (Platform p : platforms) {
            TestImage image = image(p);
            images.add(image);
            entries.add(image.descriptor());
        }
        return new TestIndex(ImageIndex.build(entries, null, Map.of()), images);
    }

    /**
     * An artifact manifest that refers to {@code subject} (OCI 1.1): empty config, one layer with
     * {@code payload}; the blobs are pushed, the manifest is returned for the caller to push.
     */
    public static ImageManifest referrer(OciRepository repository, Descriptor subject, String artifactType, byte[] payload,
                                         String payloadMediaType) throws RegistryException {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Descriptor config = repository.putBlob(empty, MediaTypes.OCI_EMPTY);
        Descriptor layer = repository.putBlob(payload, payloadMediaType);
        return ImageManifest.build(artifactType, config, List.of(layer),
                new Descriptor(subject.mediaType(), subject.digest(), subject.size(), Map.of(), null, null), Map.of());
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
