package dev.gatehouse.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signature.ImageSignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Attaches signatures and attestations to an image the way cosign does, so that cosign, Kyverno,
 * policy-controller and Gatehouse all find them: simple-signing payloads under the
 * {@code sha256-<hex>.sig} tag and DSSE envelopes under {@code sha256-<hex>.att}, each a layer
 * appended to the manifest already there.
 */
public final class CosignAttacher {

    public static final String SIGNATURE_ANNOTATION = ImageSignatureVerifier.SIGNATURE_ANNOTATION;
    public static final String PREDICATE_TYPE_ANNOTATION = "predicateType";
    public static final String IN_TOTO_STATEMENT_V1 = "https://in-toto.io/Statement/v1";

    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

    private final OciRepository repository;

    public CosignAttacher(OciRepository repository) {
        this.repository = repository;
    }

    /** Signs the cosign simple-signing payload for {@code image} and adds it to the image's .sig manifest. */
    public Descriptor attachSignature(Digest image, String dockerReference, Signer signer)
            throws RegistryException, Signer.SigningException {
        byte[] payload = simpleSigningPayload(image, dockerReference);
        String signature = Base64.getEncoder().encodeToString(signer.sign(payload));
        return appendLayer(image, CosignTag.SIGNATURE, payload, MediaTypes.COSIGN_SIMPLE_SIGNING,
                Map.of(SIGNATURE_ANNOTATION, signature), layer -> false);
    }

    /**
     * Wraps {@code predicate} in an in-toto v1 statement about {@code image}, signs it as a DSSE
     * envelope and adds it to the image's .att manifest.
     */
    public Descriptor attachAttestation(Digest image, String subjectName, String predicateType, JsonNode predicate,
            Signer signer) throws RegistryException, Signer.SigningException {
        DsseSigner.SignedEnvelope envelope = DsseSigner.sign(MediaTypes.IN_TOTO,
                statement(image, subjectName, predicateType, predicate), signer);
        return attachEnvelope(image, predicateType, envelope.json(), envelope.signature());
    }

    /** Adds an already signed DSSE envelope to the image's .att manifest. */
    public Descriptor attachEnvelope(Digest image, String predicateType, byte[] envelope, byte[] signature)
            throws RegistryException {
        return attachEnvelope(image, predicateType, envelope, signature, Map.of(), layer -> false);
    }

    /**
     * Adds an already signed DSSE envelope to the image's .att manifest with extra layer
     * annotations, dropping the layers {@code supersedes} selects: a document that replaces its
     * earlier versions (a verification summary) keeps the manifest from growing without bound.
     */
    public Descriptor attachEnvelope(Digest image, String predicateType, byte[] envelope, byte[] signature,
            Map<String, String> extraAnnotations, Predicate<Descriptor> supersedes) throws RegistryException {
        Map<String, String> annotations = new LinkedHashMap<>(extraAnnotations);
        annotations.put(PREDICATE_TYPE_ANNOTATION, predicateType);
        // cosign repeats the signature in a layer annotation for tools that read only annotations.
        annotations.put(SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(signature));
        return appendLayer(image, CosignTag.ATTESTATION, envelope, MediaTypes.DSSE_ENVELOPE, annotations, supersedes);
    }

    /**
     * Attaches an already signed DSSE envelope as an OCI 1.1 referrer of {@code subject} (artifact
     * type and only layer the DSSE envelope), found through the referrers API or, on registries
     * without one, the subject's {@code sha256-<hex>} tag index.
     */
    public Descriptor attachEnvelopeReferrer(Descriptor subject, String predicateType, byte[] envelope,
            Map<String, String> layerAnnotations, Map<String, String> manifestAnnotations) throws RegistryException {
        Map<String, String> annotations = new LinkedHashMap<>(layerAnnotations);
        annotations.put(PREDICATE_TYPE_ANNOTATION, predicateType);
        Descriptor config = repository.putBlob(EMPTY_CONFIG, MediaTypes.OCI_EMPTY);
        Descriptor layer = repository.putBlob(envelope, MediaTypes.DSSE_ENVELOPE).withAnnotations(annotations);
        ImageManifest referrer = ImageManifest.build(MediaTypes.DSSE_ENVELOPE, config, List.of(layer),
                new Descriptor(subject.mediaType(), subject.digest(), subject.size(), Map.of(), null, null), manifestAnnotations);
        return repository.putManifest(referrer, null);
    }

    /**
     * Attaches an in-toto v1 statement about {@code image} in clear, as an OCI referrer of
     * {@code image} the way Docker Scout stores attestations: the returned manifest is signed
     * separately (for example with {@link #attachSignature} over its digest).
     */
    public Descriptor attachStatementReferrer(Descriptor image, String subjectName, String predicateType, JsonNode predicate)
            throws RegistryException {
        return repository.putManifest(statementReferrer(image, subjectName, predicateType, predicate), null);
    }

    /** The referrer manifest {@link #attachStatementReferrer} pushes, with its blobs stored but the manifest not yet pushed. */
    public ImageManifest statementReferrer(Descriptor image, String subjectName, String predicateType, JsonNode predicate)
            throws RegistryException {
        Descriptor layer = repository.putBlob(statement(image.digest(), subjectName, predicateType, predicate), MediaTypes.IN_TOTO)
                .withAnnotations(Map.of(InTotoStatement.PREDICATE_TYPE_ANNOTATION, predicateType));
        Descriptor config = repository.putBlob(EMPTY_CONFIG, MediaTypes.OCI_EMPTY);
        return ImageManifest.build(MediaTypes.IN_TOTO, config, List.of(layer), image, Map.of());
    }

    /** An in-toto v1 statement with one subject. */
    public static byte[] statement(Digest subject, String subjectName, String predicateType, JsonNode predicate) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("_type", IN_TOTO_STATEMENT_V1);
        ObjectNode s = root.putArray("subject").addObject();
        s.put("name", subjectName);
        s.putObject("digest").put(subject.algorithm(), subject.hex());
        root.put("predicateType", predicateType);
        root.set("predicate", predicate);
        return write(root);
    }

    static byte[] simpleSigningPayload(Digest image, String dockerReference) {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", image.toString());
        critical.put("type", "cosign container image signature");
        root.putNull("optional");
        return write(root);
    }

    private Descriptor appendLayer(Digest image, CosignTag kind, byte[] content, String mediaType,
            Map<String, String> annotations, Predicate<Descriptor> supersedes) throws RegistryException {
        Descriptor layer = repository.putBlob(content, mediaType).withAnnotations(annotations);
        List<Descriptor> layers = new ArrayList<>();
        Optional<Descriptor> existing = repository.cosignArtifact(image, kind);
        if (existing.isPresent()) {
            Manifest manifest = repository.manifest(existing.get());
            if (manifest instanceof ImageManifest m) {
                m.layers().stream().filter(supersedes.negate()).forEach(layers::add);
            }
        }
        layers.add(layer);
        Descriptor config = repository.putBlob(EMPTY_CONFIG, MediaTypes.OCI_CONFIG);
        ImageManifest manifest = ImageManifest.build(null, config, layers, null, Map.of());
        return repository.putManifest(manifest, kind.tagFor(image));
    }

    private static byte[] write(JsonNode node) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }
}
