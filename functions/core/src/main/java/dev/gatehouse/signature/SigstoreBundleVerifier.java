package dev.gatehouse.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.signature.SigstoreBundle.CertificateChain;
import dev.gatehouse.signature.SigstoreBundle.DsseEnvelope;
import dev.gatehouse.signature.SigstoreBundle.MessageSignature;
import dev.gatehouse.signature.VerificationOutcome.Rejected;
import dev.gatehouse.signature.VerificationOutcome.Verified;
import dev.sigstore.fulcio.client.FulcioVerificationException;
import dev.sigstore.timestamp.client.ImmutableTimestampResponse;
import dev.sigstore.timestamp.client.TimestampException;
import dev.sigstore.timestamp.client.TimestampResponse;
import dev.sigstore.timestamp.client.TimestampVerificationException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a Sigstore bundle offline against a trusted root, the way the Sigstore client spec
 * describes: signer (Fulcio chain, SCT and identity, or a managed key), the signature over the
 * artifact or DSSE envelope, every transparency log entry (body, SET, inclusion proof,
 * checkpoint), RFC 3161 timestamps, and the certificate's validity at every proven signing time.
 * sigstore-java supplies the chain, SCT, Rekor proof and TSA checks; the orchestration is ours so
 * that managed keys, intoto entries and the stricter checks are covered.
 */
public final class SigstoreBundleVerifier {

    static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private final TrustedRoot root;
    private final boolean leafOnly;

    /** Strict about the bundle's chain, as the sigstore-conformance suite is: a root out of chain order is rejected. */
    public SigstoreBundleVerifier(TrustedRoot root) {
        this(root, false);
    }

    private SigstoreBundleVerifier(TrustedRoot root, boolean leafOnly) {
        this.root = root;
        this.leafOnly = leafOnly;
    }

    /**
     * A verifier that takes only the leaf of a bundle's certificate chain and builds the path from the
     * trusted root alone, whatever else the chain carries, as sigstore-go (hence slsa-verifier and
     * cosign) does.
     */
    public static SigstoreBundleVerifier leafOnly(TrustedRoot root) {
        return new SigstoreBundleVerifier(root, true);
    }

    /** The artifact: its SHA-256 and, when the caller has them, its bytes (needed for Ed25519). */
    public record Artifact(byte[] sha256, byte[] content) {
        public static Artifact ofBytes(byte[] content) {
            return new Artifact(LogEntryBody.sha256(content), content);
        }

        public static Artifact ofDigest(byte[] sha256) {
            return new Artifact(sha256.clone(), null);
        }
    }

    /** Checks every signer, signature, log entry and timestamp in {@code bundle}; never throws on bad evidence. */
    public VerificationOutcome verify(SigstoreBundle bundle, Artifact artifact, SignerExpectation expected) {
        X509Certificate leaf = null;
        PublicKey key;
        String signer;
        if (bundle.material() instanceof CertificateChain chain) {
            if (!expected.keyless()) {
                return new Rejected("bundle is signed with a certificate, but a public key was given");
            }
            leaf = chain.leaf();
            boolean carriesRoot = !leafOnly && carriesRoot(chain);
            Optional<String> chainProblem = carriesRoot ? checkChain(chain) : Optional.empty();
            if (chainProblem.isEmpty()) {
                chainProblem = checkFulcioChain(root, leafOnly || carriesRoot ? List.of(leaf) : chain.certificates());
            }
            if (chainProblem.isPresent()) {
                return new Rejected(chainProblem.get());
            }
            Optional<String> otherIdentity = checkIdentity(expected, leaf);
            if (otherIdentity.isPresent()) {
                return new Rejected(otherIdentity.get());
            }
            key = leaf.getPublicKey();
            signer = describe(leaf);
        } else {
            if (!(expected instanceof SignerExpectation.Key given)) {
                return new Rejected("bundle is signed with a managed key, but no key was given");
            }
            key = given.key();
            signer = "key " + given.name() + " (" + PublicKeys.describe(key) + ")";
        }

        Optional<String> signatureProblem = checkSignature(bundle.content(), artifact, key);
        if (signatureProblem.isPresent()) {
            return new Rejected(signatureProblem.get());
        }

        if (bundle.tlogEntries().isEmpty()) {
            return new Rejected("bundle has no transparency log entry");
        }
        List<Instant> times = new ArrayList<>();
        LogEntryBody.Expected record = new LogEntryBody.Expected(bundle.content(), artifact.sha256(), leaf, key);
        for (SigstoreBundle.TlogEntry entry : bundle.tlogEntries()) {
            Optional<String> mismatch = LogEntryBody.mismatch(entry, record);
            if (mismatch.isPresent()) {
                return new Rejected(mismatch.get());
            }
            try {
                TransparencyLogCheck.prove(root, entry).integratedTime().ifPresent(times::add);
            } catch (TransparencyLogCheck.Failure e) {
                return new Rejected(e.getMessage());
            }
        }
        for (byte[] token : bundle.rfc3161Timestamps()) {
            try {
                TimestampResponse response = ImmutableTimestampResponse.builder().encoded(token).build();
                root.timestamps().verify(response, bundle.content().signature());
                times.add(response.getGenTime().toInstant());
            } catch (TimestampVerificationException | TimestampException | RuntimeException e) {
                return new Rejected("RFC 3161 timestamp does not verify: " + e.getMessage());
            }
        }
        if (leaf != null) {
            if (times.isEmpty()) {
                return new Rejected("no verified signing time (no signed entry timestamp or RFC 3161 timestamp)");
            }
            Optional<String> outside = checkSigningTimes(leaf, times);
            if (outside.isPresent()) {
                return new Rejected(outside.get());
            }
        }
        return new Verified(signer, root.source(), List.copyOf(times), Optional.ofNullable(leaf));
    }

    private static boolean carriesRoot(CertificateChain chain) {
        return chain.certificates().stream().anyMatch(c -> c.getSubjectX500Principal().equals(c.getIssuerX500Principal()));
    }

    /**
     * Trust comes from the trusted root only, so a root the bundle carries counts for nothing; it is
     * accepted only at the end of an ordered chain (leaf, its issuer, ..., a self-signed root, as
     * sigstore-js 1.x and cosign wrote them), where it is ignored. A root anywhere else is rejected.
     */
    private static Optional<String> checkChain(CertificateChain chain) {
        List<X509Certificate> certs = chain.certificates();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate cert = certs.get(i);
            boolean selfSigned = cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
            boolean last = i == certs.size() - 1;
            if (selfSigned != last || !last && !cert.getIssuerX500Principal().equals(certs.get(i + 1).getSubjectX500Principal())) {
                return Optional.of("bundle certificate chain contains a self-signed root certificate out of chain order");
            }
        }
        return Optional.empty();
    }

    /** The leaf must name the expected identity; any Fulcio identity passes when the caller checks it afterwards. */
    static Optional<String> checkIdentity(SignerExpectation expected, X509Certificate leaf) {
        if (expected instanceof SignerExpectation.Identity identity && !identity.identity().matches(leaf)) {
            return Optional.of("certificate identity " + CertificateIdentity.subjectsOf(leaf) + " issued by "
                    + CertificateIdentity.issuerOf(leaf).orElse("(none)") + " does not match " + identity.identity());
        }
        return Optional.empty();
    }

    /** The certificate's first subject and its OIDC issuer, for reports. */
    static String describe(X509Certificate leaf) {
        return CertificateIdentity.subjectsOf(leaf).stream().findFirst().orElse("(no subject)") + " via "
                + CertificateIdentity.issuerOf(leaf).orElse("(no issuer)");
    }

    /** Every proven signing time must fall within the short-lived certificate's validity. */
    static Optional<String> checkSigningTimes(X509Certificate leaf, List<Instant> times) {
        for (Instant t : times) {
            if (t.isBefore(leaf.getNotBefore().toInstant()) || t.isAfter(leaf.getNotAfter().toInstant())) {
                return Optional.of("signing time " + t + " is outside the certificate's validity "
                        + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
            }
        }
        return Optional.empty();
    }

    /** Chain (leaf first) to a trusted Fulcio CA at issuance, with a valid SCT from a trusted CT log. */
    static Optional<String> checkFulcioChain(TrustedRoot root, List<X509Certificate> chain) {
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
            root.fulcio().verifySigningCertificate(path);
            return Optional.empty();
        } catch (FulcioVerificationException | CertificateException | IOException | RuntimeException e) {
            return Optional.of("signing certificate is not trusted: " + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    static Optional<String> checkSignature(SigstoreBundle.Content content, Artifact artifact, PublicKey key) {
        if (content instanceof MessageSignature message) {
            if (message.digest() != null) {
                if (!"SHA2_256".equals(message.digestAlgorithm())) {
                    return Optional.of("unsupported message digest algorithm " + message.digestAlgorithm());
                }
                if (!Arrays.equals(message.digest(), artifact.sha256())) {
                    return Optional.of("bundle message digest does not match the artifact");
                }
            }
            boolean ok = artifact.content() != null
                    ? SignatureCheck.verify(key, artifact.content(), message.signature())
                    : SignatureCheck.verifySha256Digest(key, artifact.sha256(), message.signature());
            return ok ? Optional.empty() : Optional.of("signature does not verify over the artifact");
        }
        DsseEnvelope dsse = (DsseEnvelope) content;
        if (!SignatureCheck.verify(key, dsse.pae(), dsse.signature())) {
            return Optional.of("DSSE envelope signature does not verify");
        }
        if (!IN_TOTO_PAYLOAD_TYPE.equals(dsse.payloadType())) {
            return Optional.of("DSSE payload type is " + dsse.payloadType() + ", not an in-toto statement");
        }
        return statementNames(dsse.payload(), artifact)
                ? Optional.empty() : Optional.of("artifact digest is not a subject of the in-toto statement");
    }

    /**
     * A subject names the artifact by its SHA-256, or, when the artifact's bytes are at hand, by
     * SHA-384 or SHA-512 (npm provenance names packages by SHA-512 only).
     */
    private static boolean statementNames(byte[] payload, Artifact artifact) {
        JsonNode statement;
        try {
            statement = UntrustedJson.parseObject(payload, "in-toto statement");
        } catch (MalformedInputException e) {
            return false;
        }
        String sha256 = HexFormat.of().formatHex(artifact.sha256());
        for (JsonNode subject : statement.path("subject")) {
            JsonNode digests = subject.path("digest");
            if (digests.path("sha256").asText("").equalsIgnoreCase(sha256)) {
                return true;
            }
            if (artifact.content() != null) {
                for (String[] algorithm : new String[][] {{"sha512", "SHA-512"}, {"sha384", "SHA-384"}}) {
                    String named = digests.path(algorithm[0]).asText("");
                    if (!named.isEmpty() && named.equalsIgnoreCase(HexFormat.of().formatHex(digest(algorithm[1], artifact.content())))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static byte[] digest(String algorithm, byte[] content) {
        try {
            return MessageDigest.getInstance(algorithm).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }
}
