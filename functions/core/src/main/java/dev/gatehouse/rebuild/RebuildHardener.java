package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.DsseEnvelope;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.sbom.Inventory;
import dev.gatehouse.sbom.SbomReader;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.DsseSigner;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes a rebuilt image come out the way the default policy expects of any image: its SBOM (from
 * a real generator, validated and non-empty), SLSA provenance v1 naming the runner as builder with
 * the pinned base digest among the resolved dependencies, both signed as DSSE in-toto attestations
 * with the platform key and attached as OCI referrers and in the cosign {@code .att} manifest,
 * and finally a cosign signature of the image under its {@code .sig} tag. The signature comes last,
 * so that its push event re-verifies the image with every piece of evidence in place; when any
 * step fails nothing is signed, and the unsigned rebuild is denied (fail closed).
 *
 * <p>Trust is data: verifiers trust the platform key through their trust configuration and the
 * builder id through their trusted-builders list (docs/rebuilds.md).
 */
public final class RebuildHardener implements BuiltImageListener {

    /** Builder id of rebuilds run by buildah on a Gatehouse host (the CLI, CI). */
    public static final String BUILDAH_BUILDER_ID = "https://gatehouse.dev/builders/rebuild/buildah@v1";
    /** Builder id of rebuilds run by AWS CodeBuild for the Gatehouse functions. */
    public static final String CODEBUILD_BUILDER_ID = "https://gatehouse.dev/builders/rebuild/codebuild@v1";
    public static final String CYCLONEDX_PREDICATE_TYPE = "https://cyclonedx.org/bom";

    private final OciRepositories repositories;
    private final Signer signer;
    private final RebuiltImageSbom sbom;
    private final Supplier<RebuildCatalog> catalog;
    private final String builderId;
    private final Consumer<String> log;
    private final SbomReader reader = new SbomReader();

    /**
     * @param catalog the rebuild catalog, for the source each target names (its provenance's source)
     * @param builderId the runner's builder id, e.g. {@link #BUILDAH_BUILDER_ID}
     */
    public RebuildHardener(OciRepositories repositories, Signer signer, RebuiltImageSbom sbom, Supplier<RebuildCatalog> catalog,
                           String builderId, Consumer<String> log) {
        this.repositories = repositories;
        this.signer = Objects.requireNonNull(signer, "signer");
        this.sbom = sbom;
        this.catalog = catalog;
        this.builderId = Objects.requireNonNull(builderId, "builderId");
        this.log = log;
    }

    /** What was attached to a rebuilt image. */
    public record Hardened(Digest image, Descriptor provenance, Descriptor sbom, Descriptor signature, int components) {}

    @Override
    public void onBuilt(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) throws HardeningException, InterruptedException {
        Hardened hardened = harden(request, result);
        log.accept("rebuild: hardened " + result.repository() + "@" + hardened.image() + ": signed with " + signer.keyId()
                + ", SLSA provenance by " + builderId + ", SBOM of " + hardened.components() + " components");
    }

    /** Generates, signs and attaches the evidence of {@code result}; see the class comment for the order. */
    public Hardened harden(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) throws HardeningException, InterruptedException {
        String what = result.repository() + "@" + result.pushedDigest();
        try {
            OciRepository repository = repositories.open(ImageReference.parse(what));
            // Resolved by digest: the registry must still hold exactly what the build pushed.
            Descriptor image = repository.resolve(result.pushedDigest().toString());
            byte[] document = sbom.sbomOf(repository, image, request, result);
            JsonNode bom = UntrustedJson.parse(document, "CycloneDX SBOM", SbomReader.DEFAULT_MAX_BYTES);
            Inventory inventory = reader.readPredicate(CYCLONEDX_PREDICATE_TYPE, bom);
            if (inventory.components().isEmpty()) {
                throw new HardeningException("the SBOM of " + what + " lists no components; the generator found nothing to inventory");
            }
            String source = catalog.get().target(request.targetRepository()).map(RebuildTarget::source).orElseGet(() -> codeBuildSource(request));
            JsonNode provenance = RebuildProvenance.predicate(request, result, builderId, source);
            CosignAttacher attacher = new CosignAttacher(repository);
            Descriptor provenanceAttached = attest(attacher, image, result.repository(), RebuildProvenance.PREDICATE_TYPE, provenance);
            Descriptor sbomAttached = attest(attacher, image, result.repository(), CYCLONEDX_PREDICATE_TYPE, bom);
            Descriptor signature = attacher.attachSignature(image.digest(), result.repository(), signer);
            return new Hardened(image.digest(), provenanceAttached, sbomAttached, signature, inventory.components().size());
        } catch (RegistryException e) {
            throw new HardeningException("cannot harden " + what + ": " + e.getMessage(), e);
        } catch (MalformedInputException e) {
            throw new HardeningException("the SBOM of " + what + " is not valid: " + e.getMessage(), e);
        } catch (Signer.SigningException e) {
            throw new HardeningException("cannot sign " + what + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new HardeningException("cannot harden " + what + ": " + e.getMessage(), e);
        }
    }

    /** Signs {@code predicate} about {@code image} and attaches the envelope as a referrer and in the .att manifest. */
    private Descriptor attest(CosignAttacher attacher, Descriptor image, String name, String predicateType, JsonNode predicate)
            throws RegistryException, Signer.SigningException {
        byte[] statement = CosignAttacher.statement(image.digest(), name, predicateType, predicate);
        DsseSigner.SignedEnvelope envelope = DsseSigner.sign(DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement, signer);
        attacher.attachEnvelopeReferrer(image, predicateType, envelope.json(), Map.of(), Map.of());
        return attacher.attachEnvelope(image.digest(), predicateType, envelope.json(), envelope.signature());
    }

    /** A CodeBuild definition's source location and version, when the catalog names no source. */
    private static String codeBuildSource(BuildRunner.BuildRequest request) {
        if (request.definition() instanceof BuildDefinition.CodeBuildProject p && p.sourceLocation() != null) {
            return p.sourceVersion() == null ? p.sourceLocation() : p.sourceLocation() + "@" + p.sourceVersion();
        }
        return null;
    }
}
