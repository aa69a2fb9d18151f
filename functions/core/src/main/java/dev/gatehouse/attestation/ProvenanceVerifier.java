package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders.Context;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ResolvedImage;
import dev.gatehouse.verify.Evidence;
import dev.gatehouse.verify.EvidenceCollector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Verifies SLSA provenance the way slsa-verifier does, offline: for artifacts from a provenance
 * file (Sigstore bundle, bare DSSE envelope, one per line in JSONL), for images from a file
 * (Cloud Build provenance, or any of the former) or from the attestations attached to the image
 * (cosign {@code .att} layers and OCI referrers holding bundles or envelopes). The builder named
 * by {@code --builder-id} picks the verifier: github.com builders (the default) or Cloud Build.
 */
public final class ProvenanceVerifier {

    static final String PROVENANCE_FILE = "provenance file";
    static final int MAX_LINES = 100;

    /** Trust material and the switches that weaken checks. */
    public record Options(Path trustedRoot, boolean insecureIgnoreTlog) {}

    private final TrustedBuilders builders;
    private final GhaProvenanceVerifier gha;
    private final GcbProvenanceVerifier gcb;
    private final EnvelopeSignatures signatures;

    public ProvenanceVerifier(TrustedBuilders builders, Options options) throws ProvenanceException {
        this.builders = builders;
        this.gha = new GhaProvenanceVerifier(builders);
        this.gcb = new GcbProvenanceVerifier(builders);
        this.signatures = EnvelopeSignatures.load(options.trustedRoot(), options.insecureIgnoreTlog());
    }

    private enum Platform { GITHUB, CLOUD_BUILD }

    private static Platform platform(ProvenanceCriteria criteria) throws ProvenanceException {
        if (criteria.builderId() == null) {
            return Platform.GITHUB;
        }
        String name = BuilderId.parse(criteria.builderId(), false).name();
        if (name.startsWith("https://github.com/")) {
            return Platform.GITHUB;
        }
        if (name.equals(GcbProvenanceVerifier.BUILDER)) {
            return Platform.CLOUD_BUILD;
        }
        throw new ProvenanceException(SlsaVerifierError.UNSUPPORTED_BUILDER, "no verifier for builder '" + criteria.builderId() + "'");
    }

    /** Provenance of artifacts: every digest in the criteria must be a subject. */
    public VerifiedProvenance verifyArtifacts(byte[] provenance, ProvenanceCriteria criteria) throws ProvenanceException {
        if (platform(criteria) == Platform.CLOUD_BUILD) {
            throw new ProvenanceException(SlsaVerifierError.NOT_SUPPORTED, "Cloud Build provenance is verified for images only (use --image)");
        }
        return firstVerified(provenance, criteria, Context.ARTIFACT);
    }

    /** Provenance of an image given as a file; the statement's subject must be the image digest. */
    public VerifiedProvenance verifyImage(byte[] provenance, Digest image, ProvenanceCriteria criteria) throws ProvenanceException {
        ProvenanceCriteria withImage = criteria.withArtifactDigests(List.of(image.hex()));
        if (platform(criteria) == Platform.CLOUD_BUILD) {
            return gcb.verify(provenance, image.hex(), criteria);
        }
        return firstVerified(provenance, withImage, Context.IMAGE);
    }

    /**
     * Provenance attached to an image: each attestation found on the image's subjects is tried in
     * discovery order (docs/attestations.md) and the first that verifies wins; when none does, the
     * first failure is reported.
     */
    public VerifiedProvenance verifyAttached(ResolvedImage image, ProvenanceCriteria criteria, ExecutorService executor)
            throws ProvenanceException {
        if (platform(criteria) == Platform.CLOUD_BUILD) {
            throw new ProvenanceException(SlsaVerifierError.NOT_SUPPORTED, "Cloud Build provenance is not attached to images; pass --provenance-path");
        }
        EvidenceCollector.Collected collected = new EvidenceCollector(executor).collect(image.repository(), image.signedSubjects());
        List<ProvenanceException> failures = new ArrayList<>();
        for (Evidence evidence : collected.evidence()) {
            // The statement must be about the digest it is attached to: the image, or the index the user referenced.
            ProvenanceCriteria forSubject = criteria.withArtifactDigests(List.of(evidence.subject().hex()));
            try {
                SignedEnvelope signed = null;
                if (evidence instanceof Evidence.DsseAttestation att) {
                    DsseEnvelope envelope = envelope(att.envelope());
                    if (isSlsaProvenance(envelope)) {
                        signed = signatures.cosignLayer(envelope, annotations(att.descriptor().annotations()));
                    }
                } else if (evidence instanceof Evidence.SigstoreBundle b) {
                    signed = signedFromFile(b.bundle(), 0);
                } else if (evidence instanceof Evidence.Document d && isBareSlsaStatement(d.content())) {
                    throw new ProvenanceException(SlsaVerifierError.NO_VALID_SIGNATURE, "referrer " + d.descriptor().digest()
                            + " holds a bare in-toto statement whose signature is stored separately; it is not accepted as signed provenance");
                }
                if (signed == null || !isSlsaProvenance(signed.envelope())) {
                    continue;
                }
                return gha.verify(signed, forSubject, Context.IMAGE);
            } catch (ProvenanceException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        String lookupFailures = collected.failures().isEmpty() ? "" : " (lookups failed: " + String.join("; ", collected.failures()) + ")";
        throw new ProvenanceException(SlsaVerifierError.NO_PROVENANCE, "no signed SLSA provenance attached to " + image.reference() + lookupFailures);
    }

    private static DsseEnvelope envelope(byte[] layer) throws ProvenanceException {
        try {
            return DsseEnvelope.parse(layer);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
        }
    }

    private static Map<String, String> annotations(Map<String, String> a) {
        return a == null ? Map.of() : a;
    }

    private static boolean isSlsaProvenance(DsseEnvelope envelope) {
        if (!envelope.isInToto()) {
            return false;
        }
        try {
            String type = InTotoStatement.parse(envelope.payload()).predicateType();
            return type.startsWith("https://slsa.dev/provenance/");
        } catch (MalformedInputException e) {
            return true;
        }
    }

    private static boolean isBareSlsaStatement(byte[] content) {
        try {
            return InTotoStatement.parse(content).predicateType().startsWith("https://slsa.dev/provenance/");
        } catch (MalformedInputException e) {
            return false;
        }
    }

    /** A file may hold several provenance documents, one per line; the first that verifies wins. */
    private VerifiedProvenance firstVerified(byte[] provenance, ProvenanceCriteria criteria, Context context) throws ProvenanceException {
        List<byte[]> documents = documents(provenance);
        ProvenanceException first = null;
        for (int i = 0; i < documents.size(); i++) {
            try {
                return gha.verify(signedFromFile(documents.get(i), documents.size() > 1 ? i + 1 : 0), criteria, context);
            } catch (ProvenanceException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    private SignedEnvelope signedFromFile(byte[] document, int line) throws ProvenanceException {
        JsonNode node;
        try {
            node = UntrustedJson.parseObject(document, line == 0 ? PROVENANCE_FILE : PROVENANCE_FILE + " line " + line);
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
        }
        if (node.path("mediaType").asText("").startsWith("application/vnd.dev.sigstore.bundle")) {
            return signatures.fromBundle(document, node);
        }
        if (node.has("payloadType")) {
            try {
                return signatures.bare(DsseEnvelope.fromJson(node, ""));
            } catch (MalformedInputException e) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
            }
        }
        throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, PROVENANCE_FILE + (line == 0 ? "" : " line " + line)
                + ": neither a Sigstore bundle nor a DSSE envelope");
    }

    /** One document, or several JSON lines. */
    private static List<byte[]> documents(byte[] content) throws ProvenanceException {
        String text = new String(content, StandardCharsets.UTF_8).strip();
        List<byte[]> lines = new ArrayList<>();
        if (text.indexOf('\n') < 0) {
            lines.add(content);
            return lines;
        }
        try {
            UntrustedJson.parse(content, PROVENANCE_FILE);
            lines.add(content);
            return lines;
        } catch (MalformedInputException whole) {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                UntrustedJson.parse(lines.get(0), PROVENANCE_FILE);
            } catch (MalformedInputException notJsonLines) {
                throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, whole.getMessage(), whole);
            }
        }
        if (lines.size() > MAX_LINES) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_FORMAT, PROVENANCE_FILE + ": more than " + MAX_LINES + " lines");
        }
        return lines;
    }

    public TrustedBuilders builders() {
        return builders;
    }
}
