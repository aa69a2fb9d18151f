package dev.gatehouse.vuln;

import dev.gatehouse.oci.Digest;

/**
 * The image a scan report is about, as far as the report says.
 *
 * @param repository the repository, e.g. {@code nginx} or {@code ghcr.io/acme/app}, or null
 * @param digest the image (manifest or index) digest the report names, or null
 */
public record ScanSubject(String repository, Digest digest) {

    /** Reads {@code REPO@sha256:HEX} (trailing {@code @...} or {@code :path} parts ignored). */
    static ScanSubject fromReference(String reference) {
        if (reference == null) {
            return null;
        }
        int at = reference.indexOf('@');
        if (at <= 0) {
            return null;
        }
        String rest = reference.substring(at + 1);
        int end = rest.indexOf('@');
        if (end < 0) {
            int colon = rest.indexOf(':');
            end = colon < 0 ? -1 : rest.indexOf(':', colon + 1);
        }
        String digest = end < 0 ? rest : rest.substring(0, end);
        if (!Digest.isDigest(digest)) {
            return null;
        }
        return new ScanSubject(reference.substring(0, at), Digest.parse(digest));
    }
}
