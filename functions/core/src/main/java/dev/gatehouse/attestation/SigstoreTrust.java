package dev.gatehouse.attestation;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.SigstoreBundleVerifier;
import dev.gatehouse.signature.TrustedRoot;
import dev.sigstore.trustroot.CertificateAuthority;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import dev.sigstore.trustroot.TransparencyLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An offline Sigstore trust root (trusted_root.json): Fulcio CAs that issue signing certificates
 * and the Rekor logs whose signed entry timestamps prove when a signature was logged. Read once
 * per file; the bundle verifier of dev.gatehouse.signature is built from the same file.
 */
final class SigstoreTrust {

    private final Path file;
    private final SigstoreTrustedRoot root;
    private volatile SigstoreBundleVerifier bundles;

    private SigstoreTrust(Path file, SigstoreTrustedRoot root) {
        this.file = file;
        this.root = root;
    }

    static SigstoreTrust load(Path file) throws ProvenanceException {
        try (InputStream in = Files.newInputStream(file)) {
            return new SigstoreTrust(file, SigstoreTrustedRoot.from(in));
        } catch (IOException | SigstoreConfigurationException | RuntimeException e) {
            throw new ProvenanceException(ProvenanceException.Kind.INVALID_FORMAT, "Sigstore trusted root " + file + ": " + e.getMessage(), e);
        }
    }

    /** The signature package's bundle verifier over the same trusted root. */
    SigstoreBundleVerifier bundleVerifier() throws ProvenanceException {
        SigstoreBundleVerifier v = bundles;
        if (v == null) {
            try {
                v = new SigstoreBundleVerifier(TrustedRoot.load(file));
            } catch (MalformedInputException e) {
                throw new ProvenanceException(ProvenanceException.Kind.INVALID_FORMAT, e.getMessage(), e);
            }
            bundles = v;
        }
        return v;
    }

    /** True when {@code leaf} (with the intermediates given) chains to a Fulcio CA that was valid at {@code when}. */
    boolean chainsToFulcio(X509Certificate leaf, Instant when) {
        for (CertificateAuthority ca : CertificateAuthority.find(root.getCAs(), when)) {
            try {
                List<? extends java.security.cert.Certificate> chain = ca.getCertPath().getCertificates();
                PKIXParameters params = new PKIXParameters(Set.of(ca.asTrustAnchor()));
                params.setRevocationEnabled(false);
                params.setDate(Date.from(when));
                var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
                if (chain.size() > 1) {
                    path = CertificateFactory.getInstance("X.509").generateCertPath(
                            java.util.stream.Stream.concat(java.util.stream.Stream.of(leaf), chain.subList(0, chain.size() - 1).stream()).toList());
                }
                CertPathValidator.getInstance("PKIX").validate(path, params);
                return true;
            } catch (GeneralSecurityException e) {
                continue;
            }
        }
        return false;
    }

    Optional<TransparencyLog> rekorLog(byte[] logId) {
        return TransparencyLog.find(root.getTLogs(), logId);
    }
}
