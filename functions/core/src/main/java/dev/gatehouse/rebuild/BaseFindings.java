package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.oci.Digest;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the rebuild trigger asks about a base when an image has fixable findings: where the base
 * tag points now, and which findings verifications found open on a base digest.
 */
public interface BaseFindings {

    /** The digest {@code repository:tag} points at now, or empty when it cannot be resolved. */
    Optional<Digest> currentDigest(String repository, String tag);

    /** The latest verification of a digest: whether policy allowed it, and its open (not VEX-suppressed) finding ids. */
    record Verification(boolean allowed, Set<String> openFindings) {
        public Verification {
            openFindings = Set.copyOf(openFindings);
        }
    }

    /** The latest verification of {@code digest}, or empty when it was never verified. */
    Optional<Verification> latest(Digest digest);

    /** The open finding ids in a policy input ({@code vulnerabilities.findings}); only fixable ones when {@code fixableOnly}. */
    static Set<String> openFindingIds(JsonNode input, boolean fixableOnly) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode f : input.path("vulnerabilities").path("findings")) {
            if (!f.path("suppressed").asBoolean(false) && (!fixableOnly || f.path("fix_available").asBoolean(false))
                    && f.path("id").isTextual()) {
                ids.add(f.path("id").asText());
            }
        }
        return ids;
    }
}
