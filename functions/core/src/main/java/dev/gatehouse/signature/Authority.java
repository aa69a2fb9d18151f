package dev.gatehouse.signature;

import java.util.Objects;

/**
 * One trusted signer in a trust policy: a managed key or a keyless identity, with its
 * transparency-log requirement and, when a log or a CA must be checked, its trusted root.
 * Keyless authorities always need a verified signing time, so their log is required.
 */
public record Authority(String name, SignerExpectation signer, TlogRequirement tlog, TrustedRootSource root) {

    public Authority {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(tlog, "tlog");
        if (signer instanceof SignerExpectation.Identity && tlog != TlogRequirement.REQUIRED) {
            throw new IllegalArgumentException("authority '" + name
                    + "': keyless signatures need tlog: required (the log entry proves when the short-lived certificate signed)");
        }
        if (tlog != TlogRequirement.NONE || signer instanceof SignerExpectation.Identity) {
            Objects.requireNonNull(root, "authority '" + name + "' needs a trusted root");
        }
    }

    public static Authority key(String name, java.security.PublicKey key, TlogRequirement tlog, TrustedRootSource root) {
        return new Authority(name, new SignerExpectation.Key(key, name), tlog, root);
    }

    public static Authority keyless(String name, CertificateIdentity identity, TrustedRootSource root) {
        return new Authority(name, new SignerExpectation.Identity(identity), TlogRequirement.REQUIRED, root);
    }
}
