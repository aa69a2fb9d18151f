package dev.gatehouse.sla;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.FindingLedger.Closure;
import dev.gatehouse.ports.FindingLedger.FindingKey;
import dev.gatehouse.ports.FindingLedger.Product;
import dev.gatehouse.ports.StoredKeys;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.vuln.Severity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one verification tells the ledger about one image, read from the policy input the
 * verification evaluated (docs/policy-input.md): {@code vulnerabilities.findings} with VEX applied,
 * {@code sbom.os} and {@code image.runtimes}, the image labels, and whether a scan was there at all.
 *
 * @param repository registry host and repository ({@code host:port/team/app}), the ledger's key
 * @param path the repository without the registry host, as {@code input.image.repository}
 * @param scanned a scanner report was part of the verification (a verified scan attestation, or any
 *                finding): without one, the absence of a finding says nothing
 */
public record ImageObservation(String repository, String path, Digest digest, String tag, Instant verifiedAt, boolean scanned,
                               List<ObservedFinding> findings, List<Product> products, boolean extendedSupportLabel) {

    /** At most this many findings per image; a verification with more is refused whole. */
    public static final int MAX_FINDINGS = 20_000;

    /**
     * One finding as this verification saw it; duplicates (two scanners) are merged by key.
     *
     * @param fixAvailableSince the scanner's fix date, or null
     * @param suppression {@link Closure#VEX_FIXED} or {@link Closure#VEX_NOT_AFFECTED} when a trusted VEX
     *                    statement with that status suppressed it, else null
     */
    public record ObservedFinding(FindingKey key, List<String> aliases, String severity, boolean kev, boolean fixAvailable,
                                  Instant fixAvailableSince, Closure suppression) {
        public ObservedFinding {
            Objects.requireNonNull(key, "key");
            aliases = List.copyOf(aliases);
        }
    }

    public ImageObservation {
        StoredKeys.repository(repository);
        Objects.requireNonNull(digest, "digest");
        if (tag != null) {
            StoredKeys.tag(tag);
        }
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        findings = List.copyOf(findings);
        products = List.copyOf(products);
    }

    /** The observation of an image the pipeline has just verified. */
    public static ImageObservation of(VerifiedImage image, SlaRules rules) throws MalformedInputException {
        return fromPolicyInput(image.registry(), image.repository(), image.digest(), image.tag(), image.verifiedAt(),
                image.report().input(), rules);
    }

    /**
     * The observation in a stored verification report ({@code gatehouse verify --format json}, the
     * {@code input} member): the image, tag and time come from the input itself.
     */
    public static ImageObservation fromReport(JsonNode report, SlaRules rules) throws MalformedInputException {
        JsonNode input = report.path("input");
        JsonNode image = input.path("image");
        String digest = text(image, "digest");
        if (digest == null || !Digest.isDigest(digest)) {
            throw malformed("/input/image/digest", "missing or not a digest");
        }
        String now = text(input.path("context"), "now");
        Instant at;
        try {
            at = Instant.parse(Objects.requireNonNull(now, "now"));
        } catch (NullPointerException | DateTimeParseException e) {
            throw malformed("/input/context/now", "missing or not an RFC 3339 time");
        }
        String repository = text(image, "repository");
        if (repository == null) {
            throw malformed("/input/image/repository", "missing");
        }
        return fromPolicyInput(text(image, "registry"), repository, Digest.parse(digest), text(image, "tag"), at, input, rules);
    }

    static ImageObservation fromPolicyInput(String registry, String path, Digest digest, String tag, Instant at, JsonNode input,
                                            SlaRules rules) throws MalformedInputException {
        String repository = registry == null || registry.isEmpty() ? path : registry + "/" + path;
        try {
            StoredKeys.repository(repository);
            if (tag != null) {
                StoredKeys.tag(tag);
            }
        } catch (IllegalArgumentException e) {
            throw malformed("/image", e.getMessage());
        }
        JsonNode findingsNode = input.path("vulnerabilities").path("findings");
        if (!findingsNode.isMissingNode() && !findingsNode.isArray()) {
            throw malformed("/vulnerabilities/findings", "not an array");
        }
        if (findingsNode.size() > MAX_FINDINGS) {
            throw malformed("/vulnerabilities/findings", findingsNode.size() + " findings, at most " + MAX_FINDINGS);
        }
        Map<FindingKey, ObservedFinding> byKey = new LinkedHashMap<>();
        for (int i = 0; i < findingsNode.size(); i++) {
            ObservedFinding f = finding(findingsNode.get(i), "/vulnerabilities/findings/" + i, rules);
            byKey.merge(f.key(), f, ImageObservation::merge);
        }
        boolean scanned = !byKey.isEmpty();
        for (JsonNode attestation : input.path("attestations")) {
            scanned |= VerificationPipeline.isScan(text(attestation, "predicate_type"));
        }
        List<Product> products = new ArrayList<>();
        JsonNode os = input.path("sbom").path("os");
        product(text(os, "name"), text(os, "version"), products);
        for (JsonNode runtime : input.path("image").path("runtimes")) {
            product(text(runtime, "name"), text(runtime, "version"), products);
        }
        String label = rules.extendedSupportLabel();
        boolean extendedSupport = label != null
                && "true".equals(text(input.path("image").path("config").path("labels"), label));
        return new ImageObservation(repository, path, digest, tag, at, scanned, new ArrayList<>(byKey.values()),
                products.stream().distinct().limit(FindingLedger.MAX_PRODUCTS).toList(), extendedSupport);
    }

    private static ObservedFinding finding(JsonNode f, String where, SlaRules rules) throws MalformedInputException {
        String id = text(f, "id");
        if (id == null || id.length() > FindingLedger.MAX_VULNERABILITY_ID) {
            throw malformed(where + "/id", "missing or longer than " + FindingLedger.MAX_VULNERABILITY_ID);
        }
        JsonNode pkg = f.path("package");
        String purl = text(pkg, "purl");
        String name = text(pkg, "name");
        String version = text(pkg, "version");
        String packageRef = purl != null ? purl : name == null ? "unknown" : version == null ? name : name + "@" + version;
        if (packageRef.length() > FindingLedger.MAX_PACKAGE_REF) {
            throw malformed(where + "/package", "longer than " + FindingLedger.MAX_PACKAGE_REF + " characters");
        }
        Set<String> aliases = new LinkedHashSet<>();
        for (JsonNode alias : f.path("aliases")) {
            if (alias.isTextual() && !alias.asText().isBlank() && alias.asText().length() <= FindingLedger.MAX_VULNERABILITY_ID
                    && aliases.size() < FindingLedger.MAX_ALIASES) {
                aliases.add(alias.asText());
            }
        }
        String severity = text(f, "severity");
        severity = severity == null ? "unknown" : severity.toLowerCase(Locale.ROOT);
        if (severity.length() > 32) {
            throw malformed(where + "/severity", "longer than 32 characters");
        }
        Instant fixSince = null;
        String since = text(f, "fix_available_since");
        if (since != null) {
            try {
                fixSince = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw malformed(where + "/fix_available_since", "not an RFC 3339 time");
            }
        }
        Closure suppression = null;
        if (f.path("suppressed").asBoolean(false)) {
            String status = text(f.path("vex"), "status");
            if ("fixed".equals(status)) {
                suppression = Closure.VEX_FIXED;
            } else if ("not_affected".equals(status)) {
                suppression = Closure.VEX_NOT_AFFECTED;
            }
        }
        return new ObservedFinding(new FindingKey(id, packageRef), List.copyOf(aliases), severity, rules.isKev(id, aliases),
                f.path("fix_available").asBoolean(false), fixSince, suppression);
    }

    /** Two reports of one finding: the worse severity, any fix, the earliest fix date; suppressed only if both are. */
    private static ObservedFinding merge(ObservedFinding a, ObservedFinding b) {
        Set<String> aliases = new LinkedHashSet<>(a.aliases());
        aliases.addAll(b.aliases());
        Instant since = a.fixAvailableSince() == null ? b.fixAvailableSince()
                : b.fixAvailableSince() == null || a.fixAvailableSince().isBefore(b.fixAvailableSince()) ? a.fixAvailableSince()
                : b.fixAvailableSince();
        String severity = Severity.of(b.severity()).compareTo(Severity.of(a.severity())) > 0 ? b.severity() : a.severity();
        return new ObservedFinding(a.key(), aliases.stream().limit(FindingLedger.MAX_ALIASES).toList(), severity,
                a.kev() || b.kev(), a.fixAvailable() || b.fixAvailable(), since,
                a.suppression() != null && b.suppression() != null ? a.suppression() : null);
    }

    private static void product(String name, String version, List<Product> products) {
        if (name != null && version != null && name.length() <= 128 && version.length() <= 128) {
            products.add(new Product(name.toLowerCase(Locale.ROOT), version));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static MalformedInputException malformed(String where, String problem) {
        return new MalformedInputException("policy input", where, problem);
    }
}
