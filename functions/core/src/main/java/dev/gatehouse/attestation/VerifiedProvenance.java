package dev.gatehouse.attestation;

import java.util.List;

/**
 * Provenance that passed every check: the verified builder (with version), its SLSA Build level,
 * the statement, the source and ref it records, its resolved dependencies, and how its signature
 * was verified.
 */
public record VerifiedProvenance(String builderId, SlsaLevel level, InTotoStatement statement, String sourceUri,
                                 String buildType, List<GhaProvenance.Dependency> resolvedDependencies, String signature) {}
