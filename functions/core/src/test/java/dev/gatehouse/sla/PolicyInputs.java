package dev.gatehouse.sla;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.verify.VerificationReport;
import java.time.Instant;
import java.util.List;

/**
 * Policy input documents (docs/policy-input.md) with just the parts the ledger reads, and verified
 * images carrying them, for SLA tests here and in other modules.
 */
public final class PolicyInputs {

    private final ObjectNode input = UntrustedJson.mapper().createObjectNode();
    private final String registry;
    private final String repository;
    private final Digest digest;
    private final String tag;
    private final Instant now;

    private PolicyInputs(String registry, String repository, Digest digest, String tag, Instant now) {
        this.registry = registry;
        this.repository = repository;
        this.digest = digest;
        this.tag = tag;
        this.now = now;
        input.put("schema_version", "v1");
        ObjectNode context = input.putObject("context");
        context.put("now", now.toString());
        context.put("trigger", "push");
        ObjectNode image = input.putObject("image");
        image.put("registry", registry);
        image.put("repository", repository);
        if (tag != null) {
            image.put("tag", tag);
        }
        image.put("digest", digest.toString());
        image.putObject("config").putObject("labels");
        image.putArray("runtimes");
        input.putArray("attestations");
        input.putNull("sbom");
        input.putObject("vulnerabilities").putArray("findings");
    }

    public static PolicyInputs image(String registry, String repository, Digest digest, String tag, Instant now) {
        return new PolicyInputs(registry, repository, digest, tag, now);
    }

    /** A verified scan attestation, so that an empty finding list means "scanned clean". */
    public PolicyInputs scanned() {
        ObjectNode a = ((ArrayNode) input.get("attestations")).addObject();
        a.put("predicate_type", "https://cosign.sigstore.dev/attestation/vuln/v1");
        return this;
    }

    public PolicyInputs finding(String id, String purl, String severity, List<String> fixedVersions, String fixSince) {
        return finding(id, List.of(), purl, severity, fixedVersions, fixSince, null);
    }

    public PolicyInputs finding(String id, List<String> aliases, String purl, String severity, List<String> fixedVersions,
                                String fixSince, String vexStatus) {
        ObjectNode f = ((ArrayNode) input.get("vulnerabilities").get("findings")).addObject();
        f.put("id", id);
        aliases.forEach(f.putArray("aliases")::add);
        f.put("severity", severity);
        f.putObject("package").put("purl", purl);
        f.put("fix_available", !fixedVersions.isEmpty());
        fixedVersions.forEach(f.putArray("fixed_versions")::add);
        if (fixSince != null) {
            f.put("fix_available_since", fixSince);
        }
        f.put("suppressed", vexStatus != null);
        if (vexStatus == null) {
            f.putNull("vex");
        } else {
            f.putObject("vex").put("status", vexStatus);
        }
        return this;
    }

    public PolicyInputs os(String name, String version) {
        ObjectNode sbom = input.putObject("sbom");
        sbom.putObject("os").put("name", name).put("version", version);
        return this;
    }

    public PolicyInputs runtime(String name, String version) {
        ((ArrayNode) input.get("image").get("runtimes")).addObject().put("name", name).put("version", version);
        return this;
    }

    public PolicyInputs label(String name, String value) {
        ((ObjectNode) input.get("image").get("config").get("labels")).put(name, value);
        return this;
    }

    public JsonNode input() {
        return input;
    }

    public VerificationReport report() {
        return new VerificationReport(registry + "/" + repository + (tag == null ? "" : ":" + tag), digest.toString(), "linux/amd64",
                Decision.of(List.of(), List.of(), "test"), List.of(), List.of(), input, new VerificationReport.Timings(0, 0, 0, 0));
    }

    public VerifiedImage verified(String trigger) {
        return new VerifiedImage(registry, repository, digest, tag, trigger, "test", report(), now);
    }
}
