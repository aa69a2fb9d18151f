package dev.gatehouse.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.MediaTypes;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.DsseSigner;
import dev.gatehouse.signing.LocalKeySigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds small but complete sample images without Docker: a layer, an image config, and the
 * evidence a hardened image carries (cosign signature, SLSA v1 provenance, CycloneDX SBOM, a
 * vulnerability scan and an OpenVEX document, each a signed attestation). Used by the demo and
 * by the end-to-end tests; any {@link SampleDefect} makes exactly one thing wrong.
 */
public final class SampleImages {

    /** The builder id the sample provenance names; the sample trust configuration trusts it at L3. */
    public static final String SAMPLE_BUILDER = "https://gatehouse.dev/builders/sample-builder@v1";
    public static final String UNTRUSTED_BUILDER = "https://builder.example.invalid/untrusted@v1";
    public static final String SAMPLE_BUILD_TYPE = "https://gatehouse.dev/buildtypes/sample/v1";
    public static final String APPROVED_BASE = "registry.gatehouse.test/gatehouse/base/static:2026.11";
    public static final String UNAPPROVED_BASE = "docker.io/library/ubuntu:22.04";
    public static final String SOURCE_URI = "git+https://github.com/gatehouse-dev/sample-app@refs/heads/main";

    public static final String SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1";
    public static final String CYCLONEDX_BOM = "https://cyclonedx.org/bom";
    public static final String OPENVEX = "https://openvex.dev/ns/v0.2.0";
    public static final String COSIGN_VULN = "https://cosign.sigstore.dev/attestation/vuln/v1";

    /** The critical CVE every sample carries; the sample VEX says the image is not affected. */
    public static final String VEX_SUPPRESSED_CVE = "CVE-2026-10001";
    /** The fixable critical CVE that {@link SampleDefect#CRITICAL_CVE_PAST_SLA} adds. */
    public static final String PAST_SLA_CVE = "CVE-2026-10002";

    private static final String BASE_DIGEST = "sha256:" + "b".repeat(64);

    /** What was built: the image digest and the descriptors of the attached evidence. */
    public record Built(Descriptor image, Set<SampleDefect> defects, List<Descriptor> attachments) {}

    /** Where the attestations go. */
    public enum AttestationStyle {
        /** Signed DSSE envelopes in the image's cosign {@code .att} manifest. */
        COSIGN,
        /**
         * Statements in clear as OCI referrers, each referrer manifest signed separately with a cosign
         * signature over its digest (how Docker Scout publishes Docker Hardened Images attestations).
         */
        SEPARATELY_SIGNED_REFERRERS
    }

    private final OciRepository repository;
    private final Signer signer;
    private final Instant now;
    private final AttestationStyle style;

    /**
     * @param signer the key the sample trust configuration trusts
     * @param now    the time the evidence claims; CVE ages are counted back from it
     */
    public SampleImages(OciRepository repository, Signer signer, Instant now) {
        this(repository, signer, now, AttestationStyle.COSIGN);
    }

    public SampleImages(OciRepository repository, Signer signer, Instant now, AttestationStyle style) {
        this.repository = repository;
        this.signer = signer;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        this.style = style;
    }

    /** Builds, tags and attests one sample image with the given defects (none for a compliant one). */
    public Built build(String name, String tag, Set<SampleDefect> defects) throws RegistryException, Signer.SigningException {
        Set<SampleDefect> d = defects.isEmpty() ? EnumSet.noneOf(SampleDefect.class) : EnumSet.copyOf(defects);
        Descriptor image = pushImage(tag, d);
        Digest digest = image.digest();
        CosignAttacher attacher = new CosignAttacher(repository);
        List<Descriptor> attachments = new ArrayList<>();

        if (!d.contains(SampleDefect.UNSIGNED)) {
            Signer imageSigner = d.contains(SampleDefect.WRONG_SIGNER) ? LocalKeySigner.generate("stranger") : signer;
            attachments.add(attacher.attachSignature(digest, name, imageSigner));
        }
        if (d.contains(SampleDefect.TAMPERED_ATTESTATION)) {
            attachments.add(attachTampered(attacher, image, name, provenance(d)));
        } else {
            attachments.add(attest(attacher, image, name, SLSA_PROVENANCE_V1, provenance(d)));
        }
        if (!d.contains(SampleDefect.MISSING_SBOM)) {
            attachments.add(attest(attacher, image, name, CYCLONEDX_BOM, sbom(name, digest, d)));
        }
        attachments.add(attest(attacher, image, name, COSIGN_VULN, scan(name, d)));
        if (!d.contains(SampleDefect.NO_VEX)) {
            attachments.add(attest(attacher, image, name, OPENVEX, vex(name, digest)));
        }
        return new Built(image, d, attachments);
    }

    private Descriptor pushImage(String tag, Set<SampleDefect> d) throws RegistryException {
        List<TarLayer.Entry> files = new ArrayList<>();
        files.add(new TarLayer.Entry("app/server", 0755, ("#!/bin/false\n# gatehouse sample " + UUID.randomUUID() + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        files.add(new TarLayer.Entry("etc/passwd", 0644,
                "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
                        .getBytes(StandardCharsets.UTF_8)));
        if (d.contains(SampleDefect.SHELL_PRESENT)) {
            files.add(new TarLayer.Entry("bin/sh", 0755, "busybox sh stand-in\n".getBytes(StandardCharsets.UTF_8)));
        }
        byte[] tar = TarLayer.tar(files);
        byte[] layer = TarLayer.gzip(tar);

        ObjectNode config = UntrustedJson.mapper().createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.put("created", now.toString());
        ObjectNode c = config.putObject("config");
        c.put("User", d.contains(SampleDefect.ROOT_USER) ? "" : "65532:65532");
        c.putArray("Entrypoint").add("/app/server");
        c.putArray("Env").add("PATH=/app").add("APP_ENV=production");
        c.putObject("ExposedPorts").putObject("8080/tcp");
        c.put("WorkingDir", "/app");
        c.putObject("Labels")
                .put("org.opencontainers.image.title", "gatehouse-sample")
                .put("org.opencontainers.image.source", "https://github.com/gatehouse-dev/sample-app");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(Digest.sha256(tar).toString());
        byte[] configBytes = write(config);

        Descriptor configDescriptor = repository.putBlob(configBytes, MediaTypes.OCI_CONFIG);
        Descriptor layerDescriptor = repository.putBlob(layer, MediaTypes.OCI_LAYER_TAR_GZIP);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("org.opencontainers.image.base.name", base(d));
        annotations.put("org.opencontainers.image.base.digest", BASE_DIGEST);
        annotations.put("org.opencontainers.image.created", now.toString());
        ImageManifest manifest = ImageManifest.build(null, configDescriptor, List.of(layerDescriptor), null, annotations);
        return repository.putManifest(manifest, tag);
    }

    private static String base(Set<SampleDefect> d) {
        return d.contains(SampleDefect.UNAPPROVED_BASE) ? UNAPPROVED_BASE : APPROVED_BASE;
    }

    private JsonNode provenance(Set<SampleDefect> d) {
        ObjectNode p = UntrustedJson.mapper().createObjectNode();
        ObjectNode def = p.putObject("buildDefinition");
        def.put("buildType", SAMPLE_BUILD_TYPE);
        ObjectNode ext = def.putObject("externalParameters");
        ext.put("source", SOURCE_URI);
        ext.put("containerfile", "Containerfile");
        ArrayNode deps = def.putArray("resolvedDependencies");
        ObjectNode src = deps.addObject();
        src.put("uri", SOURCE_URI);
        src.putObject("digest").put("gitCommit", "4d329c7588d2b5e5f2b28e1e3c2ee2c7b5e5f2b2");
        ObjectNode baseDep = deps.addObject();
        baseDep.put("uri", "oci://" + base(d));
        baseDep.put("name", "base-image");
        baseDep.putObject("digest").put("sha256", BASE_DIGEST.substring("sha256:".length()));
        ObjectNode run = p.putObject("runDetails");
        run.putObject("builder").put("id", d.contains(SampleDefect.UNTRUSTED_BUILDER) ? UNTRUSTED_BUILDER : SAMPLE_BUILDER);
        ObjectNode meta = run.putObject("metadata");
        meta.put("invocationId", "urn:uuid:" + UUID.randomUUID());
        meta.put("startedOn", now.minus(Duration.ofMinutes(3)).toString());
        meta.put("finishedOn", now.toString());
        return p;
    }

    private JsonNode sbom(String name, Digest digest, Set<SampleDefect> d) {
        ObjectNode bom = UntrustedJson.mapper().createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.5");
        bom.put("serialNumber", "urn:uuid:" + UUID.randomUUID());
        bom.put("version", 1);
        ObjectNode meta = bom.putObject("metadata");
        meta.put("timestamp", now.toString());
        ObjectNode subject = meta.putObject("component");
        subject.put("type", "container");
        subject.put("bom-ref", "image");
        subject.put("name", name);
        subject.put("version", digest.toString());
        ArrayNode components = bom.putArray("components");
        component(components, "operating-system", "debian", "12.7", null, "GPL-2.0-only");
        component(components, "library", "openssl", "3.0.11-1~deb12u2", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "Apache-2.0");
        component(components, "library", "libexample", "1.0.0-1", "pkg:deb/debian/libexample@1.0.0-1?arch=amd64&distro=debian-12", "MIT");
        component(components, "application", "sample-server", "1.0.0", "pkg:golang/github.com/gatehouse-dev/sample-app@v1.0.0", "Apache-2.0");
        if (d.contains(SampleDefect.SHELL_PRESENT)) {
            component(components, "library", "busybox", "1.36.1-3", "pkg:deb/debian/busybox@1.36.1-3?arch=amd64&distro=debian-12", "GPL-2.0-only");
        }
        if (d.contains(SampleDefect.AGPL_COMPONENT)) {
            component(components, "library", "ghostscript-lib", "10.0.0", "pkg:golang/example.com/ghostscript-lib@v10.0.0", "AGPL-3.0-only");
        }
        return bom;
    }

    private static void component(ArrayNode components, String type, String name, String version, String purl, String license) {
        ObjectNode c = components.addObject();
        c.put("type", type);
        c.put("bom-ref", purl == null ? name : purl);
        c.put("name", name);
        c.put("version", version);
        if (purl != null) {
            c.put("purl", purl);
        }
        c.putArray("licenses").addObject().putObject("license").put("id", license);
    }

    private JsonNode scan(String name, Set<SampleDefect> d) {
        ObjectNode trivy = UntrustedJson.mapper().createObjectNode();
        trivy.put("SchemaVersion", 2);
        trivy.put("ArtifactName", name);
        trivy.put("ArtifactType", "container_image");
        ObjectNode result = trivy.putArray("Results").addObject();
        result.put("Target", name + " (debian 12.7)");
        result.put("Class", "os-pkgs");
        result.put("Type", "debian");
        ArrayNode vulns = result.putArray("Vulnerabilities");
        vulnerability(vulns, VEX_SUPPRESSED_CVE, "libexample", "1.0.0-1", "1.0.0-2", "CRITICAL", 9.8, 60);
        vulnerability(vulns, "CVE-2026-10003", "openssl", "3.0.11-1~deb12u2", "3.0.15-1~deb12u1", "MEDIUM", 5.3, 3);
        if (d.contains(SampleDefect.CRITICAL_CVE_PAST_SLA)) {
            vulnerability(vulns, PAST_SLA_CVE, "openssl", "3.0.11-1~deb12u2", "3.0.15-1~deb12u1", "CRITICAL", 9.1, 30);
        }
        ObjectNode predicate = UntrustedJson.mapper().createObjectNode();
        predicate.putObject("invocation").put("uri", "https://gatehouse.dev/sample-scan");
        ObjectNode scanner = predicate.putObject("scanner");
        scanner.put("uri", "pkg:github/aquasecurity/trivy@0.58.0");
        scanner.put("version", "0.58.0");
        scanner.set("result", trivy);
        ObjectNode meta = predicate.putObject("metadata");
        meta.put("scanStartedOn", now.minus(Duration.ofMinutes(1)).toString());
        meta.put("scanFinishedOn", now.toString());
        return predicate;
    }

    private void vulnerability(ArrayNode vulns, String id, String pkg, String installed, String fixed, String severity,
            double score, int daysAgo) {
        ObjectNode v = vulns.addObject();
        v.put("VulnerabilityID", id);
        v.put("PkgName", pkg);
        v.putObject("PkgIdentifier").put("PURL", "pkg:deb/debian/" + pkg + "@" + installed + "?arch=amd64&distro=debian-12");
        v.put("InstalledVersion", installed);
        v.put("FixedVersion", fixed);
        v.put("Status", "fixed");
        v.put("Severity", severity);
        v.put("PublishedDate", now.minus(Duration.ofDays(daysAgo)).toString());
        v.putObject("CVSS").putObject("nvd").put("V3Score", score);
    }

    private JsonNode vex(String name, Digest digest) {
        ObjectNode doc = UntrustedJson.mapper().createObjectNode();
        doc.put("@context", "https://openvex.dev/ns/v0.2.0");
        doc.put("@id", "https://gatehouse.dev/vex/sample-" + digest.hex().substring(0, 12));
        doc.put("author", "Gatehouse sample publisher");
        doc.put("timestamp", now.toString());
        doc.put("version", 1);
        ObjectNode st = doc.putArray("statements").addObject();
        st.putObject("vulnerability").put("name", VEX_SUPPRESSED_CVE);
        ObjectNode product = st.putArray("products").addObject();
        product.put("@id", "pkg:oci/" + lastPathSegment(name) + "@" + digest.toString().replace(":", "%3A"));
        product.putArray("subcomponents").addObject().put("@id", "pkg:deb/debian/libexample@1.0.0-1?arch=amd64&distro=debian-12");
        st.put("status", "not_affected");
        st.put("justification", "vulnerable_code_not_in_execute_path");
        st.put("impact_statement", "the sample server never calls the vulnerable parser");
        return doc;
    }

    private Descriptor attest(CosignAttacher attacher, Descriptor image, String name, String predicateType, JsonNode predicate)
            throws RegistryException, Signer.SigningException {
        if (style == AttestationStyle.COSIGN) {
            return attacher.attachAttestation(image.digest(), name, predicateType, predicate, signer);
        }
        Descriptor statement = attacher.attachStatementReferrer(image, name, predicateType, predicate);
        attacher.attachSignature(statement.digest(), name, signer);
        return statement;
    }

    private Descriptor attachTampered(CosignAttacher attacher, Descriptor image, String name, JsonNode provenance)
            throws RegistryException, Signer.SigningException {
        if (style == AttestationStyle.SEPARATELY_SIGNED_REFERRERS) {
            return attachTamperedReferrer(attacher, image, name, provenance);
        }
        Digest digest = image.digest();
        byte[] statement = CosignAttacher.statement(digest, name, SLSA_PROVENANCE_V1, provenance);
        DsseSigner.SignedEnvelope envelope = DsseSigner.sign(
                MediaTypes.IN_TOTO, statement, signer);
        ObjectNode json = (ObjectNode) UntrustedJson.mapper().valueToTree(readTree(envelope.json()));
        String tampered = new String(statement, StandardCharsets.UTF_8).replace(SAMPLE_BUILDER, SAMPLE_BUILDER + "-evil");
        json.put("payload", Base64.getEncoder().encodeToString(tampered.getBytes(StandardCharsets.UTF_8)));
        return attacher.attachEnvelope(digest, SLSA_PROVENANCE_V1, write(json), envelope.signature());
    }

    /**
     * The signed statement is swapped for an edited one after signing: the edited manifest has a new
     * digest, so the original's signature, copied to the edited manifest's .sig tag, cannot match it.
     */
    private Descriptor attachTamperedReferrer(CosignAttacher attacher, Descriptor image, String name, JsonNode provenance)
            throws RegistryException, Signer.SigningException {
        Digest signed = attacher.statementReferrer(image, name, SLSA_PROVENANCE_V1, provenance).digest();
        Descriptor signature = attacher.attachSignature(signed, name, signer);
        ObjectNode edited = provenance.deepCopy();
        ((ObjectNode) edited.at("/runDetails/builder")).put("id", SAMPLE_BUILDER + "-evil");
        Descriptor tampered = attacher.attachStatementReferrer(image, name, SLSA_PROVENANCE_V1, edited);
        repository.putManifest(repository.manifest(signature), CosignTag.SIGNATURE.tagFor(tampered.digest()));
        return tampered;
    }

    private static String lastPathSegment(String name) {
        String withoutTag = name.replaceAll("[:@].*$", "");
        return withoutTag.substring(withoutTag.lastIndexOf('/') + 1);
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return UntrustedJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read back our own JSON", e);
        }
    }

    private static byte[] write(JsonNode node) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }
}
