package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.signature.Authority;
import dev.gatehouse.signature.CosignSignatureVerifier;
import dev.gatehouse.signature.ImageSignatureVerifier;
import dev.gatehouse.signature.SigstoreBundle;
import dev.gatehouse.signature.SigstoreBundleVerifier;
import dev.gatehouse.signature.TrustedRoot;
import dev.gatehouse.signature.TrustedRootSource;
import dev.gatehouse.signature.VerificationOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The signature on a DSSE envelope in the three shapes provenance arrives in, checked by
 * dev.gatehouse.signature: a Sigstore bundle, a cosign attestation layer (certificate, chain and
 * Rekor bundle in annotations), and a bare envelope with the certificate inside its signature,
 * which carries no log proof and is accepted only with {@code insecureIgnoreTlog}. Any Fulcio
 * identity passes this step; the builder is checked afterwards from the verified certificate, as
 * slsa-verifier does. Without a trusted root no keyless signature verifies.
 */
final class EnvelopeSignatures {

    private static final String AUTHORITY = "any Fulcio identity (builder checked from the certificate)";

    private final SigstoreBundleVerifier bundles;
    private final Authority anyFulcioIdentity;
    private final boolean insecureIgnoreTlog;

    private EnvelopeSignatures(SigstoreBundleVerifier bundles, Authority anyFulcioIdentity, boolean insecureIgnoreTlog) {
        this.bundles = bundles;
        this.anyFulcioIdentity = anyFulcioIdentity;
        this.insecureIgnoreTlog = insecureIgnoreTlog;
    }

    /** Reads the trusted root now, so that an unusable one fails before any provenance is read. */
    static EnvelopeSignatures load(Path trustedRoot, boolean insecureIgnoreTlog) throws ProvenanceException {
        if (trustedRoot == null) {
            return new EnvelopeSignatures(null, null, insecureIgnoreTlog);
        }
        try {
            TrustedRoot root = TrustedRoot.load(trustedRoot);
            return new EnvelopeSignatures(SigstoreBundleVerifier.leafOnly(root),
                    Authority.anyFulcioIdentityCheckedByCaller(AUTHORITY, TrustedRootSource.file(trustedRoot), insecureIgnoreTlog),
                    insecureIgnoreTlog);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, e.getMessage(), e);
        }
    }

    SignedEnvelope fromBundle(byte[] json, JsonNode parsed) throws ProvenanceException {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.fromJson(parsed.path("dsseEnvelope"), "/dsseEnvelope");
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "Sigstore bundle: " + e.getMessage(), e);
        }
        if (bundles == null) {
            throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, "a Sigstore bundle needs --trusted-root to be verified offline");
        }
        SigstoreBundle bundle;
        try {
            bundle = SigstoreBundle.parse(json);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, e.getMessage(), e);
        }
        VerificationOutcome outcome = bundles.verify(bundle, SigstoreBundleVerifier.Artifact.ofDigest(anySubject(envelope)),
                anyFulcioIdentity.signer());
        if (outcome instanceof VerificationOutcome.Rejected rejected) {
            throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, "Sigstore bundle: " + rejected.reason());
        }
        return signed(envelope, (VerificationOutcome.Verified) outcome, "Sigstore bundle " + bundle.mediaType());
    }

    SignedEnvelope bare(DsseEnvelope envelope) throws ProvenanceException {
        if (!insecureIgnoreTlog) {
            throw new ProvenanceException(SlsaVerifierError.NO_TLOG_PROOF, "a bare DSSE envelope carries no transparency-log entry, and this tool "
                    + "does not search Rekor online; pass --insecure-ignore-tlog to check it without one");
        }
        requireTrustedRoot("a bare DSSE envelope");
        byte[] subject = anySubject(envelope);
        List<String> reasons = new ArrayList<>();
        for (DsseEnvelope.Signature sig : envelope.signatures()) {
            if (sig.certificatePem() == null || sig.sig() == null) {
                continue;
            }
            VerificationOutcome outcome = CosignSignatureVerifier.verifyDsse(envelope.payloadType(), envelope.payload(), sig.sig(),
                    subject, new CosignSignatureVerifier.Evidence(sig.certificatePem(), null, null), anyFulcioIdentity);
            if (outcome instanceof VerificationOutcome.Verified v) {
                return signed(envelope, v, "bare DSSE envelope");
            }
            reasons.add(((VerificationOutcome.Rejected) outcome).reason());
        }
        throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, reasons.isEmpty()
                ? "no signature carries a certificate" : String.join("; ", reasons.stream().distinct().toList()));
    }

    /** A cosign {@code .att} layer: the envelope with its certificate, chain and Rekor bundle from the annotations. */
    SignedEnvelope cosignLayer(DsseEnvelope envelope, Map<String, String> annotations) throws ProvenanceException {
        String rekorBundle = annotations.get(ImageSignatureVerifier.BUNDLE_ANNOTATION);
        if ((rekorBundle == null || rekorBundle.isEmpty()) && !insecureIgnoreTlog) {
            throw new ProvenanceException(SlsaVerifierError.NO_TLOG_PROOF, "cosign attestation layer has no Rekor bundle annotation");
        }
        requireTrustedRoot("a cosign attestation");
        byte[] subject = anySubject(envelope);
        CosignSignatureVerifier.Evidence evidence = new CosignSignatureVerifier.Evidence(
                annotations.get(ImageSignatureVerifier.CERTIFICATE_ANNOTATION), annotations.get(ImageSignatureVerifier.CHAIN_ANNOTATION),
                rekorBundle);
        List<String> reasons = new ArrayList<>();
        for (DsseEnvelope.Signature sig : envelope.signatures()) {
            if (sig.sig() == null) {
                continue;
            }
            VerificationOutcome outcome = CosignSignatureVerifier.verifyDsse(envelope.payloadType(), envelope.payload(), sig.sig(),
                    subject, evidence, anyFulcioIdentity);
            if (outcome instanceof VerificationOutcome.Verified v) {
                return signed(envelope, v, "cosign attestation");
            }
            reasons.add(((VerificationOutcome.Rejected) outcome).reason());
        }
        throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, "cosign attestation: " + (reasons.isEmpty()
                ? "no signature" : String.join("; ", reasons.stream().distinct().toList())));
    }

    private void requireTrustedRoot(String what) throws ProvenanceException {
        if (anyFulcioIdentity == null) {
            throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, what + " needs --trusted-root to check that its certificate was "
                    + "issued by Fulcio");
        }
    }

    private static SignedEnvelope signed(DsseEnvelope envelope, VerificationOutcome.Verified v, String shape) throws ProvenanceException {
        if (v.certificate().isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, shape + " is signed with a key, not a builder certificate");
        }
        String log = v.signingTimes().isEmpty() ? "transparency log ignored" : "logged at " + v.signingTimes().get(0);
        return new SignedEnvelope(envelope, v.certificate().get(), shape + " (Fulcio certificate, " + log + ")");
    }

    /**
     * The signature layer checks the artifact digest against the statement's subjects; the expected
     * artifact is checked later with the statement-level failure kind, so any sha256 subject of the
     * statement is passed here.
     */
    private static byte[] anySubject(DsseEnvelope envelope) throws ProvenanceException {
        if (!envelope.isInToto()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "expected payload type '" + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE
                    + "', got '" + envelope.payloadType() + "'");
        }
        try {
            InTotoStatement statement = InTotoStatement.parse(envelope.payload());
            for (InTotoStatement.Subject s : statement.subjects()) {
                String hex = s.digest().get("sha256");
                if (hex != null && hex.length() == 64) {
                    return HexFormat.of().parseHex(hex);
                }
            }
        } catch (MalformedInputException | IllegalArgumentException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
        }
        throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no sha256 subject in the statement");
    }
}
