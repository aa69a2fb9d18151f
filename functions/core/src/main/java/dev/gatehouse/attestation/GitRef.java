package dev.gatehouse.attestation;


/** Git source URIs ({@code git+https://github.com/o/r@refs/heads/main}) and refs, as provenance records them. */
record GitRef(String uri, String ref) {

    /** {@code github.com/o/r} and {@code https://github.com/o/r} both become {@code git+https://github.com/o/r}. */
    static String normalizeUri(String uri) {
        if (uri.startsWith("git+")) {
            return uri;
        }
        return uri.contains("://") ? "git+" + uri : "git+https://" + uri;
    }

    /** Splits {@code git+URI@REF}; the ref is empty when there is none. */
    static GitRef parseUri(String uri) throws ProvenanceException {
        if (uri == null || uri.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "empty source URI");
        }
        if (!uri.startsWith("git+")) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "not a git URI: '" + uri + "'");
        }
        int at = uri.indexOf('@');
        return at < 0 ? new GitRef(uri, "") : new GitRef(uri.substring(0, at), uri.substring(at + 1));
    }

    /** The kind of a ref ({@code heads}, {@code tags}), or empty when it is not {@code refs/KIND/NAME}. */
    static String refType(String ref) {
        String[] parts = ref.split("/", 3);
        return parts.length == 3 && parts[0].equals("refs") ? parts[1] : "";
    }

    static String branchOf(String ref) throws ProvenanceException {
        return nameOf("heads", ref);
    }

    static String tagOf(String ref) throws ProvenanceException {
        return nameOf("tags", ref);
    }

    private static String nameOf(String type, String ref) throws ProvenanceException {
        String[] parts = ref.split("/", 3);
        if (parts.length < 3 || !parts[0].equals("refs") || !parts[1].equals(type)) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_REF, "'" + ref + "' is not a refs/" + type + "/ ref");
        }
        if (parts[2].isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_REF, "'" + ref + "': empty ref name");
        }
        return parts[2];
    }
}
