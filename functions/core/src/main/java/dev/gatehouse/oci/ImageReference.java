package dev.gatehouse.oci;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where an image is: a registry reference ({@code [host[:port]/]path[:tag][@digest]}, normalised
 * as Docker does: {@code docker.io}, {@code library/}, tag {@code latest}) or an OCI image layout
 * directory ({@code oci:DIR[:TAG][@digest]}).
 *
 * <p>For a registry reference {@code registry} is the host (with port) and {@code repository} the
 * path; for a layout {@code registry} is null, {@code layout} the directory and {@code repository}
 * its path as text. {@code tag} and {@code digest} are null when absent; a registry reference with
 * neither gets the tag {@code latest}, a layout reference with neither means "the only image in it".
 */
public record ImageReference(String registry, String repository, String tag, Digest digest, Path layout) {

    public static final String DOCKER_HUB = "docker.io";
    public static final String LAYOUT_PREFIX = "oci:";

    private static final int MAX_NAME = 255;
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
                    + "|\\[[0-9A-Fa-f:.]+\\](?::[0-9]{1,5})?");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    public ImageReference {
        if (repository == null || repository.isEmpty()) {
            throw new IllegalArgumentException("an image reference needs a repository");
        }
        if ((registry == null) == (layout == null)) {
            throw new IllegalArgumentException("an image reference is either in a registry or in a layout");
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("invalid tag '" + OciJson.abbreviate(tag) + "'");
        }
    }

    /** Parses what a user or a Kubernetes pod spec writes; throws {@link IllegalArgumentException} with a one-line reason. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty image reference");
        }
        if (text.startsWith(LAYOUT_PREFIX)) {
            return parseLayout(text);
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = parseDigest(rest.substring(at + 1), text);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid image reference '" + OciJson.abbreviate(text) + "': bad tag '"
                        + OciJson.abbreviate(tag) + "'");
            }
        }
        String registry;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT)))) {
            registry = first;
            path = rest.substring(slash + 1);
            if (!HOST.matcher(registry).matches()) {
                throw new IllegalArgumentException("invalid image reference '" + OciJson.abbreviate(text) + "': bad registry host '"
                        + OciJson.abbreviate(registry) + "'");
            }
        } else {
            registry = DOCKER_HUB;
            path = rest;
        }
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (HEX64.matcher(path).matches()) {
            throw new IllegalArgumentException("invalid image reference '" + OciJson.abbreviate(text)
                    + "': a repository name cannot be a 64-character hex string");
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid image reference '" + OciJson.abbreviate(text)
                        + "': bad repository path component '" + OciJson.abbreviate(component)
                        + "' (lowercase letters, digits and separators . _ __ - only)");
            }
        }
        if (registry.length() + 1 + path.length() > MAX_NAME) {
            throw new IllegalArgumentException("invalid image reference: name longer than " + MAX_NAME + " characters");
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageReference(registry, path, tag, digest, null);
    }

    /** Checks a repository path ({@code library/alpine}); throws {@link IllegalArgumentException} naming the bad part. */
    public static void checkRepositoryPath(String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_NAME) {
            throw new IllegalArgumentException("invalid repository name '" + path + "'");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("invalid repository name '" + OciJson.abbreviate(path)
                        + "': bad path component '" + OciJson.abbreviate(component) + "'");
            }
        }
    }

    private static ImageReference parseLayout(String text) {
        String rest = text.substring(LAYOUT_PREFIX.length());
        Digest digest = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0 && Digest.isDigest(rest.substring(at + 1))) {
            digest = Digest.parse(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/') && colon > 1) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid OCI layout reference '" + OciJson.abbreviate(text) + "': bad tag '"
                        + OciJson.abbreviate(tag) + "'");
            }
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("invalid OCI layout reference '" + OciJson.abbreviate(text) + "': no directory");
        }
        return new ImageReference(null, rest, tag, digest, Path.of(rest));
    }

    private static Digest parseDigest(String value, String text) {
        try {
            return Digest.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid image reference '" + OciJson.abbreviate(text) + "': " + e.getMessage());
        }
    }

    public static ImageReference layout(Path directory, String tag) {
        return new ImageReference(null, directory.toString(), tag, null, directory);
    }

    public boolean isLayout() {
        return layout != null;
    }

    /** The tag or digest to resolve: the digest wins when both are given (it is what was pinned). */
    public String identifier() {
        return digest != null ? digest.toString() : tag;
    }

    /** The same image pinned to a digest; the tag is kept for display. */
    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, newDigest, layout);
    }

    public ImageReference withTag(String newTag) {
        return new ImageReference(registry, repository, newTag, null, layout);
    }

    /**
     * The repository with its registry ({@code docker.io/library/alpine}), or {@code oci:DIR}: the
     * identity cosign's simple-signing payload names in {@code critical.identity.docker-reference}.
     */
    public String repositoryName() {
        return isLayout() ? LAYOUT_PREFIX + repository : registry + "/" + repository;
    }

    @Override
    public String toString() {
        return repositoryName() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
