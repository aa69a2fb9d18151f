package dev.gatehouse.signature;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Verifies the cosign simple-signing signatures attached to an image ({@code sha256-<hex>.sig}):
 * each layer's payload must name the image digest being verified, and its signature must verify
 * under at least one of the authorities. The image is trusted when one signature verifies.
 */
public final class ImageSignatureVerifier {

    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
    static final String SIMPLE_SIGNING_TYPE = "cosign container image signature";
    private static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    private static final int MAX_SIGNATURES = 100;

    private ImageSignatureVerifier() {}

    /** One signature layer and what became of it. */
    public record SignatureResult(int layer, Digest payload, String dockerReference, VerificationOutcome outcome) {}

    /** Every signature found for {@code image}; {@code signatureManifest} is empty when there is no .sig tag. */
    public record Report(String image, Digest digest, Optional<Digest> signatureManifest, List<SignatureResult> signatures) {
        public boolean trusted() {
            return signatures.stream().anyMatch(s -> s.outcome().verified());
        }
    }

    public static Report verify(OciRepository repository, String imageName, Digest image, List<Authority> authorities)
            throws RegistryException {
        Optional<Descriptor> sig = repository.cosignArtifact(image, CosignTag.SIGNATURE);
        if (sig.isEmpty()) {
            return new Report(imageName, image, Optional.empty(), List.of());
        }
        Manifest manifest = repository.manifest(sig.get());
        List<SignatureResult> results = new ArrayList<>();
        if (manifest instanceof ImageManifest m) {
            List<Descriptor> layers = m.layers();
            for (int i = 0; i < layers.size() && i < MAX_SIGNATURES; i++) {
                results.add(verifyLayer(repository, i, layers.get(i), image, authorities));
            }
        }
        return new Report(imageName, image, Optional.of(sig.get().digest()), List.copyOf(results));
    }

    /** One {@code .sig} layer: its payload must name {@code image}, its signature one authority. */
    public static SignatureResult verifyLayer(OciRepository repository, int index, Descriptor layer, Digest image,
            List<Authority> authorities) {
        if (!MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.mediaType())) {
            return new SignatureResult(index, layer.digest(), null, new VerificationOutcome.Rejected(
                    "layer media type " + layer.mediaType() + " is not a cosign simple-signing payload"));
        }
        String signatureB64 = layer.annotation(SIGNATURE_ANNOTATION);
        if (signatureB64 == null || signatureB64.isBlank()) {
            return new SignatureResult(index, layer.digest(), null,
                    new VerificationOutcome.Rejected("layer has no " + SIGNATURE_ANNOTATION + " annotation"));
        }
        byte[] payload;
        String reference;
        byte[] signature;
        try {
            payload = repository.blob(layer.digest(), MAX_PAYLOAD_BYTES);
            JsonNode critical = UntrustedJson.parseObject(payload, "cosign simple-signing payload").path("critical");
            reference = critical.path("identity").path("docker-reference").asText(null);
            if (!SIMPLE_SIGNING_TYPE.equals(critical.path("type").asText())) {
                return new SignatureResult(index, layer.digest(), reference,
                        new VerificationOutcome.Rejected("payload type is not '" + SIMPLE_SIGNING_TYPE + "'"));
            }
            String named = critical.path("image").path("docker-manifest-digest").asText("");
            if (!named.equals(image.toString())) {
                return new SignatureResult(index, layer.digest(), reference, new VerificationOutcome.Rejected(
                        "payload signs " + (named.isEmpty() ? "no digest" : named) + ", not " + image));
            }
            signature = Base64.getDecoder().decode(signatureB64.strip());
        } catch (RegistryException | MalformedInputException e) {
            return new SignatureResult(index, layer.digest(), null, new VerificationOutcome.Rejected(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return new SignatureResult(index, layer.digest(), null,
                    new VerificationOutcome.Rejected("signature annotation is not valid base64"));
        }
        CosignSignatureVerifier.Evidence evidence = new CosignSignatureVerifier.Evidence(
                layer.annotation(CERTIFICATE_ANNOTATION), layer.annotation(CHAIN_ANNOTATION), layer.annotation(BUNDLE_ANNOTATION));
        if (authorities.isEmpty()) {
            return new SignatureResult(index, layer.digest(), reference,
                    new VerificationOutcome.Rejected("no authority is trusted for this image"));
        }
        List<String> reasons = new ArrayList<>();
        for (Authority authority : authorities) {
            VerificationOutcome outcome = CosignSignatureVerifier.verifyBytes(payload, signature, evidence, authority);
            if (outcome.verified()) {
                return new SignatureResult(index, layer.digest(), reference, outcome);
            }
            reasons.add(authority.name() + ": " + ((VerificationOutcome.Rejected) outcome).reason());
        }
        return new SignatureResult(index, layer.digest(), reference,
                new VerificationOutcome.Rejected(String.join("; ", reasons)));
    }
}
