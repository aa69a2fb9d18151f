package dev.gatehouse.vsa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.verify.VerificationReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The verification listener that emits a Gatehouse VSA after each verification: the pipeline's
 * verdict on the image digest (allow or warn is PASSED, deny is FAILED) under the policy revision
 * and trust configuration that produced it, signed and attached to the image by {@link VsaPublisher}.
 */
public final class VsaEmitter implements VerificationListener {

    /** The settings a deployment gives its VSAs. */
    public record Settings(String verifierId, Map<String, String> verifierVersion, Digest trustConfiguration,
                           Function<String, VerificationSummary.ResourceDescriptor> policyByRevision) {
        public Settings {
            Objects.requireNonNull(verifierId, "verifierId");
            verifierVersion = Map.copyOf(verifierVersion);
            Objects.requireNonNull(trustConfiguration, "trustConfiguration");
            Objects.requireNonNull(policyByRevision, "policyByRevision");
        }
    }

    private final OciRepositories repositories;
    private final VsaPublisher publisher;
    private final Settings settings;

    public VsaEmitter(OciRepositories repositories, VsaPublisher publisher, Settings settings) {
        this.repositories = repositories;
        this.publisher = publisher;
        this.settings = settings;
    }

    @Override
    public void onVerified(VerifiedImage image) throws Exception {
        OciRepository repository = repositories.open(new ImageReference(image.registry(), image.repository(), null, image.digest(), null));
        publisher.publish(repository, image.digest(), summarise(image));
    }

    /** The summary of one verification, as {@link #onVerified} signs it. */
    public VerificationSummary summarise(VerifiedImage image) {
        VerificationReport report = image.report();
        VerificationSummary.ResourceDescriptor bundle = settings.policyByRevision().apply(image.policyRevision());
        VerificationSummary.Policy policy = new VerificationSummary.Policy(bundle.uri(), bundle.digest(), image.policyRevision(),
                settings.trustConfiguration().toString());
        List<VerificationSummary.ResourceDescriptor> inputs = new ArrayList<>();
        for (VerificationReport.EvidenceRecord e : report.evidence()) {
            if (e.status() == VerificationReport.Status.VERIFIED && e.digest() != null && Digest.isDigest(e.digest())) {
                Digest d = Digest.parse(e.digest());
                inputs.add(new VerificationSummary.ResourceDescriptor(null, Map.of(d.algorithm(), d.hex())));
            }
        }
        VerificationSummary.Result result = report.decision().allowed()
                ? VerificationSummary.Result.PASSED : VerificationSummary.Result.FAILED;
        return new VerificationSummary(
                List.of(new InTotoStatement.Subject(image.registry() + "/" + image.repository(),
                        Map.of(image.digest().algorithm(), image.digest().hex()))),
                settings.verifierId(), settings.verifierVersion(), image.verifiedAt(), resourceUri(image.registry(), image.repository()),
                policy, inputs, result, List.of(buildLevel(report.input())), Map.of(), "1.0");
    }

    /** The resource URI Gatehouse VSAs name an image repository by: {@code oci://REGISTRY/REPOSITORY}. */
    public static String resourceUri(String registry, String repository) {
        return "oci://" + registry + "/" + repository;
    }

    /** The SLSA Build level the verified provenance earned (docs/slsa-levels.md); L0 without provenance. */
    static String buildLevel(JsonNode input) {
        JsonNode level = input == null ? null : input.path("provenance").path("level");
        int n = level != null && level.canConvertToInt() ? level.asInt() : 0;
        return "SLSA_BUILD_LEVEL_" + Math.max(0, Math.min(n, 4));
    }
}
