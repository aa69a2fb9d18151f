package dev.gatehouse.oci;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The media types Gatehouse reads and writes, and the rules for telling manifests from indexes. */
public final class MediaTypes {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** Docker schema 1, which has no content-addressable form we can verify; always rejected. */
    public static final String DOCKER_MANIFEST_V1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    public static final String COSIGN_SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String DSSE_ENVELOPE = "application/vnd.dsse.envelope.v1+json";
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    public static final String SIGSTORE_BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /** What a manifest GET accepts: every manifest and index type we can parse, nothing else. */
    public static final String MANIFEST_ACCEPT = String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

    private static final Pattern WELL_FORMED = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

    private MediaTypes() {}

    public static boolean isImageManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    /** An image config (OCI or Docker); artifacts such as cosign signatures or Helm charts use other types. */
    public static boolean isImageConfig(String mediaType) {
        return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isManifestOrIndex(String mediaType) {
        return isImageManifest(mediaType) || isIndex(mediaType);
    }

    /** A Content-Type header value without parameters and in lower case; empty for null. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().toLowerCase(Locale.ROOT);
    }

    /** RFC 6838 type/subtype syntax; media types from outside are checked before they are used. */
    public static boolean isWellFormed(String mediaType) {
        return mediaType != null && mediaType.length() <= 255 && WELL_FORMED.matcher(mediaType).matches();
    }
}
