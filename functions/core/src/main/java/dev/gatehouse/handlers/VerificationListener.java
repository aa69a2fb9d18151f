package dev.gatehouse.handlers;

/**
 * Reacts to a finished verification: the image graph, the remediation-SLA ledger, verification
 * summary attestations. The push handler and the compliance-scan worker call their listeners after
 * the result is stored; a listener that fails is logged and counted, and never changes the verdict.
 */
@FunctionalInterface
public interface VerificationListener {

    void onVerified(VerifiedImage image) throws Exception;
}
