package dev.gatehouse.attestation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Who signed: the GitHub workflow identity a Fulcio certificate carries (SAN URI and the
 * 1.3.6.1.4.1.57264.1.* extensions, https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
 * The signer workflow is the builder; the source repository is the caller's.
 */
record WorkflowIdentity(String issuer, String subjectWorkflow, String sourceRepository, String sourceSha1) {

    static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
    private static final String OID = "1.3.6.1.4.1.57264.1.";

    static WorkflowIdentity from(X509Certificate cert) throws ProvenanceException {
        String san = sanUri(cert);
        String issuer = claim(cert, "1", "8");
        String sha = claim(cert, "3", "13");
        String repoUri = extension(cert, OID + "12", true);
        String deprecatedRepo = extension(cert, OID + "5", false);
        if (!deprecatedRepo.isEmpty() && !repoUri.isEmpty() && !("https://github.com/" + deprecatedRepo).equals(repoUri)) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "certificate source repositories disagree: '" + deprecatedRepo + "', '" + repoUri + "'");
        }
        String repo = repoUri.startsWith("https://github.com/") ? repoUri.substring("https://github.com/".length()) : repoUri;
        if (repo.isEmpty()) {
            repo = deprecatedRepo;
        }
        return new WorkflowIdentity(issuer, san, repo, sha);
    }

    /** The workflow without its ref: {@code https://github.com/org/repo/.github/workflows/x.yml}. */
    String workflowName() {
        int at = subjectWorkflow.lastIndexOf('@');
        return at < 0 ? subjectWorkflow : subjectWorkflow.substring(0, at);
    }

    /** The ref the workflow ran at ({@code refs/tags/v2.1.0}); empty when the SAN has none. */
    String workflowRef() {
        int at = subjectWorkflow.lastIndexOf('@');
        return at < 0 ? "" : subjectWorkflow.substring(at + 1);
    }

    private static String sanUri(X509Certificate cert) throws ProvenanceException {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(6).equals(name.get(0))) {
                        return String.valueOf(name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_CERTIFICATE, "unreadable subject alternative names: " + e.getMessage());
        }
        throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "missing URI information from certificate");
    }

    /** A claim that Fulcio wrote first as a raw string (deprecated OID) and later DER-encoded: they must agree. */
    private static String claim(X509Certificate cert, String deprecatedArc, String arc) throws ProvenanceException {
        String old = extension(cert, OID + deprecatedArc, false);
        String current = extension(cert, OID + arc, true);
        if (!old.isEmpty() && !current.isEmpty() && !old.equals(current)) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, "certificate claims disagree: '" + old + "' != '" + current + "'");
        }
        if (old.isEmpty() && current.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_CERTIFICATE, "empty certificate fields " + OID + deprecatedArc + " and " + OID + arc);
        }
        return current.isEmpty() ? old : current;
    }

    private static String extension(X509Certificate cert, String oid, boolean derEncoded) throws ProvenanceException {
        byte[] value = cert.getExtensionValue(oid);
        if (value == null) {
            return "";
        }
        try {
            byte[] octets = ASN1OctetString.getInstance(value).getOctets();
            if (!derEncoded) {
                return new String(octets, StandardCharsets.UTF_8);
            }
            ASN1Primitive inner = ASN1Primitive.fromByteArray(octets);
            if (inner instanceof ASN1String s) {
                return s.getString();
            }
            throw new ProvenanceException(SlsaVerifierError.INVALID_CERTIFICATE, "extension " + oid + " is not a string");
        } catch (IOException | IllegalArgumentException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_CERTIFICATE, "extension " + oid + " is not valid DER");
        }
    }
}
