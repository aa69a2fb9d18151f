package dev.gatehouse.vex;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One normalised VEX statement, whatever format it came from.
 *
 * @param vulnerability the vulnerability name, e.g. {@code CVE-2023-12345}
 * @param aliases other identifiers of the same vulnerability
 * @param products the products (with subcomponents) it is about
 * @param status the status
 * @param justification the justification label (OpenVEX vocabulary), or null
 * @param impactStatement free-text reason for not_affected, or null
 * @param actionStatement what to do for affected, or null
 * @param timestamp the statement's time, inherited from its document when it has none; null only
 *     when neither states one (CycloneDX and CSAF documents may lack it)
 * @param documentId the id of the document it came from
 * @param author the document author
 * @param format the format of that document
 * @param position the statement's position in its document (0-based)
 * @param defect why this statement cannot be applied (e.g. not_affected without justification or
 *     impact statement), or null when it can
 */
public record VexStatement(
        String vulnerability,
        Set<String> aliases,
        List<VexProduct> products,
        VexStatus status,
        String justification,
        String impactStatement,
        String actionStatement,
        Instant timestamp,
        String documentId,
        String author,
        VexFormat format,
        int position,
        String defect) {

    public VexStatement {
        aliases = aliases == null ? Set.of() : Set.copyOf(aliases);
        products = List.copyOf(products);
    }

    public boolean applicable() {
        return defect == null;
    }

    /** Whether the vulnerability id is the statement's name or one of its aliases. */
    public boolean names(String vulnerabilityId) {
        return vulnerability.equals(vulnerabilityId) || aliases.contains(vulnerabilityId);
    }

    /** A one-line summary for reports and {@code --explain}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(vulnerability).append(' ').append(status.label());
        if (justification != null) {
            sb.append(" (").append(justification).append(')');
        } else if (impactStatement != null) {
            sb.append(" (impact: ").append(impactStatement.length() > 80 ? impactStatement.substring(0, 77) + "..." : impactStatement).append(')');
        }
        sb.append(" for ").append(String.join(", ", products.stream().map(p -> p.product().describe()).toList()));
        sb.append(" from ").append(format.displayName()).append(' ').append(documentId == null ? "(no id)" : documentId);
        sb.append(" statement ").append(position + 1);
        if (timestamp != null) {
            sb.append(" at ").append(timestamp);
        }
        return sb.toString();
    }

    /** The rule every format shares: not_affected needs a justification or an impact statement. */
    static String defectOf(VexStatus status, String justification, String impactStatement) {
        if (status == VexStatus.NOT_AFFECTED && blank(justification) && blank(impactStatement)) {
            return "not_affected without justification or impact statement";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
