package dev.gatehouse.verify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An in-toto statement whose signature verified against the trust configuration and whose
 * subjects name the target (or a subject that counts for it).
 */
public record VerifiedStatement(String predicateType, JsonNode predicate, Facts.Signer signer, String evidenceDigest,
                                String source) {}
