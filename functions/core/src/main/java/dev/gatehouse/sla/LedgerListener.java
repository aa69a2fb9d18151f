package dev.gatehouse.sla;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.ports.FindingLedger;

/**
 * Feeds the finding ledger from every verified image (push verifications and compliance scans
 * alike), reading the findings, VEX suppressions, KEV ids and products from the report's policy
 * input. Replaying a verification changes nothing.
 */
public final class LedgerListener implements VerificationListener {

    private final LedgerRecorder recorder;
    private final SlaRules rules;

    public LedgerListener(FindingLedger ledger, SlaRules rules) {
        this.recorder = new LedgerRecorder(ledger);
        this.rules = rules;
    }

    @Override
    public void onVerified(VerifiedImage image) throws MalformedInputException {
        recorder.record(ImageObservation.of(image, rules));
    }
}
