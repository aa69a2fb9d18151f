package dev.gatehouse.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.attestation.TrustedBuilders.Builder;
import dev.gatehouse.attestation.TrustedBuilders.Context;
import dev.gatehouse.attestation.TrustedBuilders.Style;
import dev.gatehouse.io.MalformedInputException;
import java.util.Map;

/**
 * Statement-level verification of provenance signed by a GitHub Actions workflow through Fulcio:
 * the signer workflow (certificate SAN) must be a trusted builder at a release tag, the caller
 * repository must be the expected source, and the provenance must agree with the signer and with
 * every criterion (source, subject digest, branch, tag, versioned tag, workflow inputs). The rules
 * follow slsa-verifier's GitHub verifier; so do the failure kinds.
 */
final class GhaProvenanceVerifier {

    private static final String WORKFLOWS = "/.github/workflows/";

    private final TrustedBuilders builders;

    GhaProvenanceVerifier(TrustedBuilders builders) {
        this.builders = builders;
    }

    VerifiedProvenance verify(SignedEnvelope signed, ProvenanceCriteria criteria, Context context) throws ProvenanceException {
        WorkflowIdentity identity = WorkflowIdentity.from(signed.certificate());
        if (!WorkflowIdentity.GITHUB_ISSUER.equals(identity.issuer())) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_OIDC_ISSUER, "'" + identity.issuer() + "'");
        }
        String workflow = identity.workflowName();
        String workflowRef = identity.workflowRef();
        if (workflow.isEmpty() || workflowRef.isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "workflow URI '" + identity.subjectWorkflow() + "'");
        }
        BuilderId certBuilder = BuilderId.parse(workflow + "@" + workflowRef, true);
        boolean delegator = isTrustedDelegator(workflow, context);
        if (criteria.builderId() == null) {
            if (!builders.trustedByDefault(workflow, context)) {
                throw new ProvenanceException(SlsaVerifierError.UNTRUSTED_BUILDER, workflow + " is not a default trusted builder; name it with --builder-id");
            }
        } else if (!delegator) {
            try {
                certBuilder.matchesLoose(criteria.builderId(), true);
            } catch (ProvenanceException e) {
                throw new ProvenanceException(SlsaVerifierError.UNTRUSTED_BUILDER, e.getMessage());
            }
        }
        requireBuilderRef(identity.sourceRepository(), workflowRef, criteria);
        String expectedRepo = criteria.sourceUri().replaceFirst("^git\\+https://", "").replaceFirst("^https://", "")
                .replaceFirst("^github\\.com/", "");
        if (!expectedRepo.equals(identity.sourceRepository())) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_SOURCE, "expected source '" + expectedRepo + "', got '" + identity.sourceRepository() + "'");
        }

        GhaProvenance provenance = provenance(signed.envelope(), workflow);
        String verifiedBuilder;
        if (delegator) {
            BuilderId claimed = requireDelegatedBuilder(provenance, criteria);
            String expected = criteria.builderId();
            if (expected == null) {
                String prefix = workflow.substring(0, workflow.indexOf(WORKFLOWS) + WORKFLOWS.length());
                if (!claimed.name().startsWith(prefix)) {
                    throw new ProvenanceException(SlsaVerifierError.INVALID_BUILDER_ID, "builder '" + claimed.name()
                            + "' is not under " + prefix + "; name it with --builder-id");
                }
                expected = claimed.name();
            }
            claimed.matchesLoose(expected, true);
            verifiedBuilder = claimed.toString();
        } else {
            BuilderId.parse(provenance.builderId(), false).matchesFull(certBuilder.toString(), true);
            verifiedBuilder = certBuilder.toString();
        }
        checkCommon(provenance, criteria);
        Builder listed = builders.find(workflow).orElse(null);
        return new VerifiedProvenance(verifiedBuilder, SlsaLevel.assign(true, listed), provenance.statement(),
                provenance.sourceUri(), provenance.buildType(), provenance.resolvedDependencies(), signed.method());
    }

    private boolean isTrustedDelegator(String workflow, Context context) {
        return builders.find(workflow).map(b -> b.isDelegator() && b.trustedByDefault().contains(context)).orElse(false);
    }

    private void requireBuilderRef(String sourceRepository, String ref, ProvenanceCriteria criteria) throws ProvenanceException {
        boolean testing = criteria.insecureAllowTestingBuilderRefs() && builders.isTestingRepository(sourceRepository);
        if (testing && ref.equals("refs/heads/main")) {
            return;
        }
        SemVer.requireReleaseTag(ref, testing);
    }

    /** A delegator's provenance names the builder it ran for; that one must be referenced at a release tag. */
    private BuilderId requireDelegatedBuilder(GhaProvenance provenance, ProvenanceCriteria criteria) throws ProvenanceException {
        String id = provenance.builderId();
        String[] parts = id.split("@", -1);
        if (parts.length != 2) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_BUILDER_ID, "'" + id + "'");
        }
        String source = GitRef.parseUri(provenance.sourceUri()).uri();
        boolean testing = criteria.insecureAllowTestingBuilderRefs()
                && builders.isTestingRepository(source.replaceFirst("^git\\+https://github\\.com/", ""));
        if (!(testing && parts[1].equals("refs/heads/main"))) {
            SemVer.requireReleaseTag(parts[1], false);
        }
        return new BuilderId(parts[0], parts[1]);
    }

    private GhaProvenance provenance(DsseEnvelope envelope, String signerWorkflow) throws ProvenanceException {
        if (!envelope.isInToto()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "expected payload type '" + DsseEnvelope.IN_TOTO_PAYLOAD_TYPE
                    + "', got '" + envelope.payloadType() + "'");
        }
        InTotoStatement statement;
        try {
            statement = InTotoStatement.parse(envelope.payload());
        } catch (MalformedInputException e) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, e.getMessage(), e);
        }
        if (!GhaProvenance.SLSA_V02.equals(statement.predicateType()) && !GhaProvenance.SLSA_V1.equals(statement.predicateType())) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "unexpected predicate type '" + statement.predicateType() + "'");
        }
        if (builders.find(signerWorkflow).isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_BUILDER_ID, "'" + signerWorkflow + "' is not in the trusted builders list");
        }
        String buildType = GhaProvenance.claimedBuildType(statement);
        Style style = builders.style(signerWorkflow, buildType).orElseThrow(() -> new ProvenanceException(SlsaVerifierError.INVALID_BUILD_TYPE,
                "'" + buildType + "' for builder '" + signerWorkflow + "'"));
        return new GhaProvenance(statement, style);
    }

    static void checkCommon(GhaProvenance provenance, ProvenanceCriteria criteria) throws ProvenanceException {
        checkSource(provenance, criteria.sourceUri());
        for (String digest : criteria.artifactDigests()) {
            checkDigest(provenance.statement(), digest);
        }
        if (criteria.sourceBranch() != null) {
            String branch = GitRef.branchOf(provenance.branchRef());
            if (!branch.equals(criteria.sourceBranch())) {
                throw new ProvenanceException(SlsaVerifierError.MISMATCHED_BRANCH, "expected branch '" + criteria.sourceBranch() + "', got '" + branch + "'");
            }
        }
        if (criteria.sourceTag() != null) {
            String tag = GitRef.tagOf(provenance.tagRef());
            if (!tag.equals(criteria.sourceTag())) {
                throw new ProvenanceException(SlsaVerifierError.MISMATCHED_TAG, "expected tag '" + criteria.sourceTag() + "', got '" + tag + "'");
            }
        }
        if (criteria.sourceVersionedTag() != null) {
            SemVer.requireVersionedTag(GitRef.tagOf(provenance.tagRef()), criteria.sourceVersionedTag());
        }
        if (!criteria.workflowInputs().isEmpty()) {
            JsonNode inputs = provenance.workflowInputs();
            for (Map.Entry<String, String> e : criteria.workflowInputs().entrySet()) {
                JsonNode value = inputs.get(e.getKey());
                if (value == null || !value.isTextual()) {
                    throw new ProvenanceException(SlsaVerifierError.MISMATCHED_WORKFLOW_INPUTS, "cannot retrieve value of '" + e.getKey() + "'");
                }
                if (!value.asText().equals(e.getValue())) {
                    throw new ProvenanceException(SlsaVerifierError.MISMATCHED_WORKFLOW_INPUTS, "expected '" + e.getKey() + "=" + e.getValue()
                            + "', got '" + e.getKey() + "=" + value.asText() + "'");
                }
            }
        }
    }

    /** The trigger and the first material must both be the expected repository, and agree with each other. */
    private static void checkSource(GhaProvenance provenance, String expectedUri) throws ProvenanceException {
        String source = GitRef.normalizeUri(expectedUri);
        if (!source.startsWith("git+https://github.com/")) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "expected a github.com source repository, got '" + source + "'");
        }
        String fullTrigger = provenance.triggerUri();
        GitRef trigger = GitRef.parseUri(fullTrigger);
        if (!trigger.uri().equals(source)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_SOURCE, "expected trigger '" + fullTrigger + "' to match source-uri '" + source + "'");
        }
        if (trigger.ref().isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "missing ref: '" + fullTrigger + "'");
        }
        String fullSource = provenance.sourceUri();
        GitRef material = GitRef.parseUri(fullSource);
        if (!material.uri().equals(source)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_SOURCE, "expected source '" + fullSource + "' to match source-uri '" + source + "'");
        }
        if (material.ref().isEmpty()) {
            if (provenance.style() == Style.DELEGATOR) {
                return;
            }
            throw new ProvenanceException(SlsaVerifierError.MALFORMED_URI, "missing ref: '" + fullSource + "'");
        }
        if (!fullTrigger.equals(fullSource)) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "source and trigger URIs do not match: '" + fullTrigger + "' != '" + fullSource + "'");
        }
    }

    /** Some subject must carry {@code hex} under the SHA-2 algorithm its length implies. */
    static void checkDigest(InTotoStatement statement, String hex) throws ProvenanceException {
        int bits = hex.length() * 4;
        if (bits < 256) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_HASH, "expected at least a 256-bit digest, got " + bits + " bits");
        }
        if (statement.subjects().isEmpty()) {
            throw new ProvenanceException(SlsaVerifierError.INVALID_PAYLOAD, "no subjects");
        }
        if (!statement.hasSubject("sha" + bits, hex)) {
            throw new ProvenanceException(SlsaVerifierError.MISMATCHED_HASH, "expected hash '" + hex + "' not found");
        }
    }
}
