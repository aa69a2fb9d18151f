package dev.gatehouse.verify;

import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Finds every piece of evidence attached to a target's subjects, once: cosign's .sig, .att and
 * .sbom tags and the OCI referrers of each subject, fetched concurrently over one repository
 * session and deduplicated by digest. A lookup that fails is reported, not ignored, so a
 * registry fault can never look like "nothing attached".
 */
public final class EvidenceCollector {

    /** Upper bounds for one piece of evidence. */
    public static final int MAX_SIGNATURE_PAYLOAD = 1 << 20;
    public static final int MAX_DOCUMENT = 64 << 20;
    public static final int MAX_PIECES = 500;

    static final String COSIGN_TAG = "cosign-tag";
    static final String REFERRER = "referrer";

    /** What was found, and what could not be read (as one-line reasons). */
    public record Collected(List<Evidence> evidence, List<String> failures) {}

    private final ExecutorService executor;

    public EvidenceCollector(ExecutorService executor) {
        this.executor = executor;
    }

    public Collected collect(OciRepository repository, List<Digest> subjects) {
        List<CompletableFuture<List<Evidence>>> lookups = new ArrayList<>();
        for (Digest subject : subjects) {
            lookups.add(async(() -> cosign(repository, subject, CosignTag.SIGNATURE)));
            lookups.add(async(() -> cosign(repository, subject, CosignTag.ATTESTATION)));
            lookups.add(async(() -> cosign(repository, subject, CosignTag.SBOM)));
            lookups.add(async(() -> referrers(repository, subject)));
        }
        Map<Digest, Evidence> unique = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<List<Evidence>> lookup : lookups) {
            try {
                for (Evidence e : lookup.join()) {
                    unique.putIfAbsent(e.descriptor().digest(), e);
                }
            } catch (CompletionException e) {
                failures.add(reason(e.getCause()));
            }
        }
        if (unique.size() > MAX_PIECES) {
            failures.add(repository.name() + ": more than " + MAX_PIECES + " pieces of evidence attached; only the first "
                    + MAX_PIECES + " were read");
            return new Collected(List.copyOf(unique.values()).subList(0, MAX_PIECES), failures);
        }
        return new Collected(List.copyOf(unique.values()), failures);
    }

    private List<Evidence> cosign(OciRepository repository, Digest subject, CosignTag kind) throws RegistryException {
        Optional<Descriptor> tagged = repository.cosignArtifact(subject, kind);
        if (tagged.isEmpty()) {
            return List.of();
        }
        Manifest manifest = repository.manifest(tagged.get());
        if (!(manifest instanceof ImageManifest m)) {
            throw new RegistryException(RegistryException.Kind.MALFORMED, repository.name() + ": " + kind.tagFor(subject)
                    + " is an index, not a cosign manifest");
        }
        List<Evidence> found = new ArrayList<>();
        for (Descriptor layer : m.layers()) {
            switch (kind) {
                case SIGNATURE -> found.add(new Evidence.CosignSignature(subject, layer, COSIGN_TAG,
                        repository.blob(layer.digest(), MAX_SIGNATURE_PAYLOAD)));
                case ATTESTATION -> found.add(new Evidence.DsseAttestation(subject, layer, COSIGN_TAG,
                        repository.blob(layer.digest(), MAX_DOCUMENT)));
                case SBOM -> found.add(new Evidence.Document(subject, layer, COSIGN_TAG, layer.mediaType(),
                        repository.blob(layer.digest(), MAX_DOCUMENT)));
            }
        }
        return found;
    }

    private List<Evidence> referrers(OciRepository repository, Digest subject) throws RegistryException {
        List<Evidence> found = new ArrayList<>();
        for (Descriptor referrer : repository.referrers(subject, null)) {
            Manifest manifest = repository.manifest(referrer);
            if (!(manifest instanceof ImageManifest m) || m.layers().isEmpty()) {
                continue;
            }
            String type = m.effectiveArtifactType();
            List<Evidence> manifestSignatures = null;
            for (Descriptor layer : m.layers()) {
                byte[] content = repository.blob(layer.digest(), MAX_DOCUMENT);
                if (MediaTypes.IN_TOTO.equals(layer.mediaType())) {
                    if (manifestSignatures == null) {
                        manifestSignatures = signaturesOf(repository, referrer.digest());
                    }
                    found.add(new Evidence.StatementReferrer(subject, layer, REFERRER, referrer.digest(), content,
                            manifestSignatures));
                } else if (isBundle(type) || isBundle(layer.mediaType())) {
                    found.add(new Evidence.SigstoreBundle(subject, layer, REFERRER, type, content));
                } else if (MediaTypes.DSSE_ENVELOPE.equals(layer.mediaType())) {
                    found.add(new Evidence.DsseAttestation(subject, layer, REFERRER, content));
                } else {
                    found.add(new Evidence.Document(subject, layer, REFERRER, type, content));
                }
            }
        }
        return found;
    }

    /**
     * Signatures over an attestation manifest itself: its cosign .sig tag, and referrers of it that
     * hold a Sigstore bundle or a cosign simple-signing payload. One level only: a signature of a
     * signature is not followed.
     */
    private List<Evidence> signaturesOf(OciRepository repository, Digest manifest) throws RegistryException {
        List<Evidence> signatures = new ArrayList<>(cosign(repository, manifest, CosignTag.SIGNATURE));
        for (Descriptor referrer : repository.referrers(manifest, null)) {
            if (!(repository.manifest(referrer) instanceof ImageManifest m)) {
                continue;
            }
            String type = m.effectiveArtifactType();
            for (Descriptor layer : m.layers()) {
                if (isBundle(type) || isBundle(layer.mediaType())) {
                    signatures.add(new Evidence.SigstoreBundle(manifest, layer, REFERRER, type,
                            repository.blob(layer.digest(), MAX_DOCUMENT)));
                } else if (MediaTypes.COSIGN_SIMPLE_SIGNING.equals(layer.mediaType())) {
                    signatures.add(new Evidence.CosignSignature(manifest, layer, REFERRER,
                            repository.blob(layer.digest(), MAX_SIGNATURE_PAYLOAD)));
                }
            }
        }
        return signatures;
    }

    static boolean isBundle(String mediaType) {
        return mediaType != null && mediaType.startsWith("application/vnd.dev.sigstore.bundle");
    }

    private CompletableFuture<List<Evidence>> async(Lookup lookup) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return lookup.run();
            } catch (RegistryException e) {
                throw new CompletionException(e);
            }
        }, executor);
    }

    private static String reason(Throwable t) {
        return t instanceof RegistryException ? t.getMessage() : "evidence lookup failed: " + t;
    }

    @FunctionalInterface
    private interface Lookup {
        List<Evidence> run() throws RegistryException;
    }
}
