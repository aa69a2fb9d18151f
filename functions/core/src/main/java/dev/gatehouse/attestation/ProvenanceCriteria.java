package dev.gatehouse.attestation;

import java.util.List;
import java.util.Map;

/**
 * What the provenance must say, as slsa-verifier's flags express it. {@code sourceUri} is
 * required; null for any other field means "not checked". {@code artifactDigests} are hex SHA-256
 * (or longer, SHA-384/512 by length) digests of the artifacts the provenance must name.
 * {@code insecureAllowTestingBuilderRefs} accepts builders referenced at {@code refs/heads/main}
 * for the builder's own end-to-end test repositories, as slsa-verifier does under
 * SLSA_VERIFIER_TESTING; never use it for real verification.
 */
public record ProvenanceCriteria(String sourceUri, String sourceBranch, String sourceTag, String sourceVersionedTag,
                                 String builderId, Map<String, String> workflowInputs, List<String> artifactDigests,
                                 boolean insecureAllowTestingBuilderRefs) {

    public ProvenanceCriteria {
        if (sourceUri == null || sourceUri.isBlank()) {
            throw new IllegalArgumentException("a source URI is required");
        }
        workflowInputs = workflowInputs == null ? Map.of() : Map.copyOf(workflowInputs);
        artifactDigests = artifactDigests == null ? List.of() : List.copyOf(artifactDigests);
        if (builderId != null && builderId.isEmpty()) {
            builderId = null;
        }
    }

    public ProvenanceCriteria withArtifactDigests(List<String> digests) {
        return new ProvenanceCriteria(sourceUri, sourceBranch, sourceTag, sourceVersionedTag, builderId, workflowInputs, digests,
                insecureAllowTestingBuilderRefs);
    }
}
