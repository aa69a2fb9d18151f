package dev.gatehouse.signature;

import java.util.Objects;

/**
 * One trusted signer in a trust policy: a managed key or a keyless identity, with its
 * transparency-log requirement and, when a log or a CA must be checked, its trusted root.
 * Keyless authorities need a verified signing time, so their log is required unless the caller
 * says loudly that it is not ({@link TlogRequirement#INSECURE_OPTIONAL_FOR_KEYLESS}).
 */
public record Authority(String name, SignerExpectation signer, TlogRequirement tlog, TrustedRootSource root) {

    public Authority {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(tlog, "tlog");
        if (signer.keyless() && tlog != TlogRequirement.REQUIRED && tlog != TlogRequirement.INSECURE_OPTIONAL_FOR_KEYLESS) {
            throw new IllegalArgumentException("authority '" + name
                    + "': keyless signatures need tlog: required (the log entry proves when the short-lived certificate signed)");
        }
        if (!signer.keyless() && tlog == TlogRequirement.INSECURE_OPTIONAL_FOR_KEYLESS) {
            throw new IllegalArgumentException("authority '" + name + "': a key authority says tlog: optional or none");
        }
        if (tlog != TlogRequirement.NONE || signer.keyless()) {
            Objects.requireNonNull(root, "authority '" + name + "' needs a trusted root");
        }
    }

    public static Authority key(String name, java.security.PublicKey key, TlogRequirement tlog, TrustedRootSource root) {
        return new Authority(name, new SignerExpectation.Key(key, name), tlog, root);
    }

    public static Authority keyless(String name, CertificateIdentity identity, TrustedRootSource root) {
        return new Authority(name, new SignerExpectation.Identity(identity), TlogRequirement.REQUIRED, root);
    }

    /**
     * Any Fulcio identity, checked by the caller afterwards from the verified certificate
     * (slsa-verifier's order). With {@code insecureIgnoreTlog} a signature without a log entry is
     * accepted, its certificate checked at issuance only.
     */
    public static Authority anyFulcioIdentityCheckedByCaller(String name, TrustedRootSource root, boolean insecureIgnoreTlog) {
        return new Authority(name, new SignerExpectation.AnyFulcioIdentityCheckedByCaller(),
                insecureIgnoreTlog ? TlogRequirement.INSECURE_OPTIONAL_FOR_KEYLESS : TlogRequirement.REQUIRED, root);
    }
}
