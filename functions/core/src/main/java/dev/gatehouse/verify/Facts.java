package dev.gatehouse.verify;

import java.util.List;
import java.util.Map;

/**
 * The verified facts the pipeline hands to policy, one record per kind, shaped like the policy
 * input contract (docs/policy-input.md). They are kept apart from the verifiers' own types so the
 * versioned contract does not move when a verifier changes.
 */
public final class Facts {

    private Facts() {}

    /** Who signed: a key id for key-based signatures, identity and issuer for keyless ones. */
    public record Signer(String keyId, String identity, String issuer) {}

    /** A signature that verified over the target (or a subject that counts for it). */
    public record Signature(String kind, String source, Signer signer, boolean tlog, String authority, String subject) {}

    /** An attestation whose signature verified and whose statement names the target. */
    public record Attestation(String predicateType, Signer signer, String digest, String source) {}

    /** Evidence that was found and refused. */
    public record Rejection(String kind, String digest, String predicateType, String reason) {}

    /** Normalised SLSA provenance. */
    public record Provenance(String predicateType, String builderId, boolean builderTrusted, int level, String buildType,
                             String sourceUri, String sourceRef, Map<String, String> sourceDigest,
                             Map<String, Object> inputs, List<Dependency> resolvedDependencies) {}

    public record Dependency(String uri, Map<String, String> digest) {}

    /** The VEX statement that decided a finding. */
    public record VexDecision(String status, String justification, String impactStatement, String document, String author,
                              String timestamp) {}

    /** A vulnerability finding with VEX applied. */
    public record Finding(String id, List<String> aliases, String severity, Double cvss, String purl, String packageName,
                          String packageVersion, boolean fixAvailable, List<String> fixedVersions, String published,
                          String fixAvailableSince, String firstSeen, boolean suppressed, VexDecision vex) {}

    /** A VEX document that was considered, and whether it was trusted. */
    public record VexDocument(String id, String author, String format, boolean trusted, String source) {}

    /** The verdict of one image a Helm chart references. */
    public record HelmImage(String reference, String digest, boolean allow, List<String> reasons) {}
}
