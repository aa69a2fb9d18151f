package dev.gatehouse.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.DsseEnvelope;
import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.signature.Authority;
import dev.gatehouse.signature.CosignSignatureVerifier;
import dev.gatehouse.signature.ImageSignatureVerifier;
import dev.gatehouse.signature.SignerExpectation;
import dev.gatehouse.signature.SigstoreBundle;
import dev.gatehouse.signature.SigstoreBundleVerifier;
import dev.gatehouse.signature.VerificationOutcome;
import dev.gatehouse.signing.CosignAttacher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks each piece of evidence against the authorities the trust configuration names for the
 * image, and turns it into a verified fact or a rejection with the reason. Nothing in an
 * evidence's bytes is read as true before its signature verified.
 */
public final class EvidenceVerifier {

    private static final String SIGNATURE_ANNOTATION = ImageSignatureVerifier.SIGNATURE_ANNOTATION;
    private static final String CERTIFICATE_ANNOTATION = ImageSignatureVerifier.CERTIFICATE_ANNOTATION;
    private static final String CHAIN_ANNOTATION = ImageSignatureVerifier.CHAIN_ANNOTATION;
    private static final String BUNDLE_ANNOTATION = ImageSignatureVerifier.BUNDLE_ANNOTATION;
    private static final String PREDICATE_TYPE_ANNOTATION = CosignAttacher.PREDICATE_TYPE_ANNOTATION;

    /** What one piece of evidence became. */
    public sealed interface Outcome {
        Evidence evidence();
    }

    public record SignatureVerified(Evidence evidence, Facts.Signature signature) implements Outcome {}

    public record StatementVerified(Evidence evidence, VerifiedStatement statement) implements Outcome {}

    /** Unsigned documents are kept apart: callers decide what an unsigned SBOM or VEX may do. */
    public record Unsigned(Evidence evidence) implements Outcome {}

    public record Rejected(Evidence evidence, Facts.Rejection rejection) implements Outcome {}

    private final List<Authority> authorities;

    public EvidenceVerifier(List<Authority> authorities) {
        this.authorities = List.copyOf(authorities);
    }

    public Outcome verify(Evidence evidence) {
        try {
            if (evidence instanceof Evidence.CosignSignature s) {
                return signature(s);
            }
            if (evidence instanceof Evidence.DsseAttestation a) {
                return attestation(a);
            }
            if (evidence instanceof Evidence.SigstoreBundle b) {
                return bundle(b);
            }
            if (evidence instanceof Evidence.StatementReferrer r) {
                return statementReferrer(r);
            }
            return new Unsigned(evidence);
        } catch (MalformedInputException e) {
            return reject(evidence, kindOf(evidence), evidence.descriptor().annotation(PREDICATE_TYPE_ANNOTATION), e.getMessage());
        }
    }

    private Outcome signature(Evidence.CosignSignature s) throws MalformedInputException {
        Descriptor layer = s.descriptor();
        String sig = layer.annotation(SIGNATURE_ANNOTATION);
        if (sig == null) {
            return reject(s, "signature", null, "cosign signature layer has no " + SIGNATURE_ANNOTATION + " annotation");
        }
        JsonNode payload = UntrustedJson.parseObject(s.payload(), "cosign simple-signing payload");
        String signedDigest = payload.at("/critical/image/docker-manifest-digest").asText("");
        if (!signedDigest.equals(s.subject().toString())) {
            return reject(s, "signature", null, "signature payload names " + (signedDigest.isEmpty() ? "no digest" : signedDigest)
                    + ", not " + s.subject());
        }
        if (authorities.isEmpty()) {
            return reject(s, "signature", null, "no trusted key or identity is configured for this image");
        }
        List<String> reasons = new ArrayList<>();
        byte[] signatureBytes = decode(sig, "cosign signature annotation");
        var material = material(layer);
        for (Authority authority : authorities) {
            VerificationOutcome outcome = CosignSignatureVerifier.verifyBytes(s.payload(), signatureBytes, material, authority);
            if (outcome instanceof VerificationOutcome.Verified v) {
                return new SignatureVerified(s, new Facts.Signature(kindOf(authority), s.source(), signer(authority, v),
                        !v.signingTimes().isEmpty(), v.authority(), s.subject().toString()));
            }
            reasons.add(authority.name() + ": " + ((VerificationOutcome.Rejected) outcome).reason());
        }
        return reject(s, "signature", null, String.join("; ", reasons));
    }

    private Outcome attestation(Evidence.DsseAttestation a) throws MalformedInputException {
        DsseEnvelope envelope = DsseEnvelope.parse(a.envelope());
        String predicateType = a.descriptor().annotation(PREDICATE_TYPE_ANNOTATION);
        if (envelope.signatures().isEmpty()) {
            return reject(a, VerificationPipeline.kindOf(predicateType), predicateType, "DSSE envelope carries no signature");
        }
        if (authorities.isEmpty()) {
            return reject(a, VerificationPipeline.kindOf(predicateType), predicateType, "no trusted key or identity is configured for this image");
        }
        var material = material(a.descriptor());
        List<String> reasons = new ArrayList<>();
        for (DsseEnvelope.Signature signature : envelope.signatures()) {
            for (Authority authority : authorities) {
                VerificationOutcome outcome = CosignSignatureVerifier.verifyDsse(envelope.payloadType(), envelope.payload(),
                        signature.sig(), a.subject().bytes(), material, authority);
                if (outcome instanceof VerificationOutcome.Verified v) {
                    return statement(a, envelope.payload(), signer(authority, v));
                }
                reasons.add(authority.name() + ": " + ((VerificationOutcome.Rejected) outcome).reason());
            }
        }
        return reject(a, VerificationPipeline.kindOf(predicateType), predicateType, String.join("; ", reasons.stream().distinct().toList()));
    }

    /**
     * A bare statement counts when one signature over its manifest verifies (with the manifest as
     * the signed subject); the statement must then still name the image.
     */
    private Outcome statementReferrer(Evidence.StatementReferrer r) throws MalformedInputException {
        String predicateType = r.descriptor().annotation(InTotoStatement.PREDICATE_TYPE_ANNOTATION);
        if (r.manifestSignatures().isEmpty()) {
            return new Unsigned(r);
        }
        List<String> reasons = new ArrayList<>();
        for (Evidence signature : r.manifestSignatures()) {
            Outcome outcome = verify(signature);
            if (outcome instanceof SignatureVerified v) {
                return statement(r, r.statement(), v.signature().signer());
            }
            reasons.add(outcome instanceof Rejected rejected ? rejected.rejection().reason()
                    : "a " + signature.source() + " over the manifest is not a signature");
        }
        return reject(r, VerificationPipeline.kindOf(predicateType), predicateType, "no valid signature over attestation manifest "
                + r.manifest() + ": " + String.join("; ", reasons.stream().distinct().toList()));
    }

    private Outcome bundle(Evidence.SigstoreBundle b) throws MalformedInputException {
        SigstoreBundle bundle = SigstoreBundle.parse(b.bundle());
        if (authorities.isEmpty()) {
            return reject(b, "attestation", null, "no trusted key or identity is configured for this image");
        }
        List<String> reasons = new ArrayList<>();
        for (Authority authority : authorities) {
            if (authority.root() == null) {
                reasons.add(authority.name() + ": a Sigstore bundle needs a trusted root");
                continue;
            }
            VerificationOutcome outcome = new SigstoreBundleVerifier(authority.root().get())
                    .verify(bundle, SigstoreBundleVerifier.Artifact.ofDigest(b.subject().bytes()), authority.signer());
            if (outcome instanceof VerificationOutcome.Verified v) {
                if (bundle.content() instanceof SigstoreBundle.DsseEnvelope dsse) {
                    return statement(b, dsse.payload(), signer(authority, v));
                }
                return new SignatureVerified(b, new Facts.Signature("bundle", b.source(), signer(authority, v),
                        !v.signingTimes().isEmpty(), v.authority(), b.subject().toString()));
            }
            reasons.add(authority.name() + ": " + ((VerificationOutcome.Rejected) outcome).reason());
        }
        return reject(b, "signature", null, String.join("; ", reasons));
    }

    private static Outcome statement(Evidence evidence, byte[] payload, Facts.Signer signer) throws MalformedInputException {
        InTotoStatement statement = InTotoStatement.parse(payload);
        Digest subject = evidence.subject();
        if (!statement.hasSubject(subject.algorithm(), subject.hex())) {
            return reject(evidence, VerificationPipeline.kindOf(statement.predicateType()), statement.predicateType(), "statement subjects do not name " + subject);
        }
        return new StatementVerified(evidence, new VerifiedStatement(statement.predicateType(), statement.predicate(), signer,
                evidence.descriptor().digest().toString(), evidence.source()));
    }

    private static CosignSignatureVerifier.Evidence material(Descriptor layer) {
        return new CosignSignatureVerifier.Evidence(layer.annotation(CERTIFICATE_ANNOTATION), layer.annotation(CHAIN_ANNOTATION),
                layer.annotation(BUNDLE_ANNOTATION));
    }

    private static Facts.Signer signer(Authority authority, VerificationOutcome.Verified v) {
        if (authority.signer() instanceof SignerExpectation.Key) {
            return new Facts.Signer(authority.name(), "", "");
        }
        return new Facts.Signer("", v.signer(), "");
    }

    private static String kindOf(Authority authority) {
        return authority.signer() instanceof SignerExpectation.Key ? "key" : "keyless";
    }

    private static String kindOf(Evidence evidence) {
        return evidence instanceof Evidence.CosignSignature ? "signature" : "attestation";
    }

    private static byte[] decode(String base64, String what) throws MalformedInputException {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(what, "", "not valid base64");
        }
    }

    private static Rejected reject(Evidence evidence, String kind, String predicateType, String reason) {
        return new Rejected(evidence, new Facts.Rejection(kind, evidence.descriptor().digest().toString(), predicateType, reason));
    }
}
