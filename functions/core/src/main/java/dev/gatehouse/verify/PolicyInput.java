package dev.gatehouse.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.ImageConfig;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.sbom.Inventory;
import dev.gatehouse.sbom.InventoryJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the one policy input document (schema v1, docs/policy-input.md) from verified facts.
 * Evidence that did not verify only ever appears under {@code rejected}.
 */
public final class PolicyInput {

    public static final String SCHEMA_VERSION = "v1";
    static final String BASE_NAME = "org.opencontainers.image.base.name";
    static final String BASE_DIGEST = "org.opencontainers.image.base.digest";

    private final Target target;
    private final ImageConfig config;
    private final Instant now;
    private final String trigger;
    private String namespace;
    private String policyRevision;
    private final List<Facts.Signature> signatures = new ArrayList<>();
    private final List<Facts.Attestation> attestations = new ArrayList<>();
    private final List<Facts.Rejection> rejected = new ArrayList<>();
    private Facts.Provenance provenance;
    private Inventory sbom;
    private boolean sbomSigned;
    private final List<Facts.Finding> findings = new ArrayList<>();
    private final List<Facts.VexDocument> vexDocuments = new ArrayList<>();
    private List<Facts.HelmImage> helmImages;
    private String helmChartName;
    private String helmChartVersion;

    public PolicyInput(Target target, ImageConfig config, Instant now, String trigger) {
        this.target = target;
        this.config = config;
        this.now = now;
        this.trigger = trigger;
    }

    public PolicyInput namespace(String value) {
        this.namespace = value;
        return this;
    }

    public PolicyInput policyRevision(String value) {
        this.policyRevision = value;
        return this;
    }

    public PolicyInput signature(Facts.Signature s) {
        signatures.add(s);
        return this;
    }

    public PolicyInput attestation(Facts.Attestation a) {
        attestations.add(a);
        return this;
    }

    public PolicyInput reject(Facts.Rejection r) {
        rejected.add(r);
        return this;
    }

    public PolicyInput provenance(Facts.Provenance p) {
        this.provenance = p;
        return this;
    }

    public PolicyInput sbom(Inventory inventory, boolean signed) {
        this.sbom = inventory;
        this.sbomSigned = signed;
        return this;
    }

    public PolicyInput finding(Facts.Finding f) {
        findings.add(f);
        return this;
    }

    public PolicyInput vexDocument(Facts.VexDocument d) {
        vexDocuments.add(d);
        return this;
    }

    public PolicyInput helm(String chartName, String chartVersion, List<Facts.HelmImage> images) {
        this.helmChartName = chartName;
        this.helmChartVersion = chartVersion;
        this.helmImages = List.copyOf(images);
        return this;
    }

    public List<Facts.Rejection> rejections() {
        return List.copyOf(rejected);
    }

    public ObjectNode toJson() {
        ObjectNode root = UntrustedJson.mapper().createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        ObjectNode context = root.putObject("context");
        context.put("now", now.toString());
        context.put("trigger", trigger);
        putIfSet(context, "namespace", namespace);
        putIfSet(context, "policy_revision", policyRevision);
        root.set("image", image());
        ArrayNode sigs = root.putArray("signatures");
        for (Facts.Signature s : signatures) {
            ObjectNode n = sigs.addObject();
            n.put("kind", s.kind());
            n.put("source", s.source());
            n.set("signer", signer(s.signer()));
            n.put("tlog", s.tlog());
            putIfSet(n, "authority", s.authority());
            putIfSet(n, "subject", s.subject());
        }
        ArrayNode atts = root.putArray("attestations");
        for (Facts.Attestation a : attestations) {
            ObjectNode n = atts.addObject();
            n.put("predicate_type", a.predicateType());
            n.set("signer", signer(a.signer()));
            putIfSet(n, "digest", a.digest());
            putIfSet(n, "source", a.source());
        }
        ArrayNode rej = root.putArray("rejected");
        for (Facts.Rejection r : rejected) {
            ObjectNode n = rej.addObject();
            n.put("kind", r.kind());
            putIfSet(n, "digest", r.digest());
            putIfSet(n, "predicate_type", r.predicateType());
            n.put("reason", r.reason());
        }
        root.set("provenance", provenance == null ? root.nullNode() : provenance());
        root.set("sbom", sbom == null ? root.nullNode() : InventoryJson.toPolicyInput(sbom, sbomSigned));
        ArrayNode fs = root.putObject("vulnerabilities").putArray("findings");
        findings.forEach(f -> fs.add(findingJson(f)));
        ArrayNode docs = root.putObject("vex").putArray("documents");
        for (Facts.VexDocument d : vexDocuments) {
            ObjectNode n = docs.addObject();
            putIfSet(n, "id", d.id());
            putIfSet(n, "author", d.author());
            putIfSet(n, "format", d.format());
            n.put("trusted", d.trusted());
            putIfSet(n, "source", d.source());
        }
        root.set("helm", helmImages == null ? root.nullNode() : helm());
        return root;
    }

    private ObjectNode image() {
        ImageReference ref = target.image().reference();
        ObjectNode image = UntrustedJson.mapper().createObjectNode();
        image.put("reference", ref.toString());
        putIfSet(image, "registry", ref.isLayout() ? "" : ref.registry());
        image.put("repository", ref.repository());
        putIfSet(image, "tag", ref.tag());
        image.put("digest", target.digest().toString());
        image.put("media_type", target.manifest().mediaType());
        if (target.image().referencedIndex() != null) {
            image.put("index_digest", target.image().referencedIndex().digest().toString());
        }
        Platform platform = target.image().descriptor().platform();
        ObjectNode p = image.putObject("platform");
        putIfSet(p, "os", platform != null ? platform.os() : config.os());
        putIfSet(p, "architecture", platform != null ? platform.architecture() : config.architecture());
        if (platform != null && platform.variant() != null) {
            p.put("variant", platform.variant());
        }
        ObjectNode c = image.putObject("config");
        putIfSet(c, "user", config.user());
        strings(c.putArray("entrypoint"), config.entrypoint());
        strings(c.putArray("cmd"), config.cmd());
        stringMap(c.putObject("env"), config.env());
        stringMap(c.putObject("labels"), config.labels());
        strings(c.putArray("exposed_ports"), config.exposedPorts());
        putIfSet(c, "working_dir", config.workingDir());
        putIfSet(c, "created", config.created());
        Map<String, String> annotations = target.manifest().annotations();
        stringMap(image.putObject("annotations"), annotations);
        String baseName = annotations.get(BASE_NAME);
        String baseDigest = annotations.get(BASE_DIGEST);
        if (baseName == null && provenance != null) {
            for (Facts.Dependency d : provenance.resolvedDependencies()) {
                if (d.uri() != null && (d.uri().startsWith("oci://") || d.uri().startsWith("pkg:docker/") || d.uri().startsWith("docker://"))) {
                    baseName = d.uri().replaceFirst("^(oci|docker)://", "").replaceFirst("^pkg:docker/", "");
                    baseDigest = d.digest().containsKey("sha256") ? "sha256:" + d.digest().get("sha256") : null;
                    break;
                }
            }
        }
        if (baseName == null) {
            image.putNull("base");
        } else {
            ObjectNode base = image.putObject("base");
            base.put("name", baseName);
            putIfSet(base, "digest", baseDigest);
        }
        image.putArray("runtimes");
        if (target.manifest().artifactType() != null) {
            image.put("artifact_type", target.manifest().artifactType());
        } else if (!dev.gatehouse.oci.MediaTypes.isImageConfig(target.manifest().config().mediaType())) {
            image.put("artifact_type", target.manifest().config().mediaType());
        }
        return image;
    }

    private ObjectNode provenance() {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("predicate_type", provenance.predicateType());
        ObjectNode builder = n.putObject("builder");
        builder.put("id", provenance.builderId());
        builder.put("trusted", provenance.builderTrusted());
        n.put("level", provenance.level());
        putIfSet(n, "build_type", provenance.buildType());
        ObjectNode source = n.putObject("source");
        putIfSet(source, "uri", provenance.sourceUri());
        putIfSet(source, "ref", provenance.sourceRef());
        stringMap(source.putObject("digest"), provenance.sourceDigest() == null ? Map.of() : provenance.sourceDigest());
        n.putObject("invocation").set("inputs", UntrustedJson.mapper().valueToTree(
                provenance.inputs() == null ? Map.of() : provenance.inputs()));
        ArrayNode deps = n.putArray("resolved_dependencies");
        for (Facts.Dependency d : provenance.resolvedDependencies()) {
            ObjectNode dn = deps.addObject();
            putIfSet(dn, "uri", d.uri());
            stringMap(dn.putObject("digest"), d.digest() == null ? Map.of() : d.digest());
        }
        return n;
    }

    private static ObjectNode findingJson(Facts.Finding f) {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("id", f.id());
        strings(n.putArray("aliases"), f.aliases());
        n.put("severity", f.severity());
        if (f.cvss() != null) {
            n.put("cvss", f.cvss());
        }
        ObjectNode pkg = n.putObject("package");
        putIfSet(pkg, "purl", f.purl());
        putIfSet(pkg, "name", f.packageName());
        putIfSet(pkg, "version", f.packageVersion());
        n.put("fix_available", f.fixAvailable());
        strings(n.putArray("fixed_versions"), f.fixedVersions());
        putIfSet(n, "published", f.published());
        putIfSet(n, "fix_available_since", f.fixAvailableSince());
        putIfSet(n, "first_seen", f.firstSeen());
        n.put("suppressed", f.suppressed());
        if (f.vex() == null) {
            n.putNull("vex");
        } else {
            ObjectNode v = n.putObject("vex");
            putIfSet(v, "status", f.vex().status());
            putIfSet(v, "justification", f.vex().justification());
            putIfSet(v, "impact_statement", f.vex().impactStatement());
            putIfSet(v, "document", f.vex().document());
            putIfSet(v, "author", f.vex().author());
            putIfSet(v, "timestamp", f.vex().timestamp());
        }
        return n;
    }

    private ObjectNode helm() {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        ObjectNode chart = n.putObject("chart");
        putIfSet(chart, "name", helmChartName);
        putIfSet(chart, "version", helmChartVersion);
        ArrayNode images = n.putArray("images");
        for (Facts.HelmImage i : helmImages) {
            ObjectNode in = images.addObject();
            in.put("reference", i.reference());
            putIfSet(in, "digest", i.digest());
            in.put("allow", i.allow());
            strings(in.putArray("reasons"), i.reasons());
        }
        return n;
    }

    private static JsonNode signer(Facts.Signer s) {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        if (s != null) {
            n.put("key_id", s.keyId() == null ? "" : s.keyId());
            n.put("identity", s.identity() == null ? "" : s.identity());
            n.put("issuer", s.issuer() == null ? "" : s.issuer());
        }
        return n;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void stringMap(ObjectNode node, Map<String, String> values) {
        new java.util.TreeMap<>(values).forEach(node::put);
    }
}
