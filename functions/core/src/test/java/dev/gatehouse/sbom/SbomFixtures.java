package dev.gatehouse.sbom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Generated SBOMs for tests: an image with OS packages, language packages, a shell and a package
 * manager, as CycloneDX or SPDX JSON, optionally wrapped in an in-toto statement and DSSE envelope.
 */
public final class SbomFixtures {

    public static final String IMAGE_DIGEST = "sha256:" + "ab".repeat(32);
    /** The first component of {@link #cycloneDx17Features()}. */
    public static final String OPENSSL_PURL = "pkg:deb/debian/openssl@3.0.15-1?arch=amd64&distro=debian-12";

    private SbomFixtures() {}

    private static String hex(int i, int bytes) {
        byte[] b = new byte[bytes];
        for (int k = 0; k < bytes; k++) {
            b[k] = (byte) (i * 31 + k * 7);
        }
        return HexFormat.of().formatHex(b);
    }

    /** The purl of generated component {@code i}: debs, apks, npm and maven packages in turn. */
    public static String purl(int i) {
        return switch (i % 4) {
            case 0 -> "pkg:deb/debian/libexample" + i + "@1." + i + "-1?arch=amd64&distro=debian-12";
            case 1 -> "pkg:apk/alpine/example" + i + "@2." + i + "-r0?arch=x86_64&distro=alpine-3.20.0";
            case 2 -> "pkg:npm/%40scope/example" + i + "@3.0." + i;
            default -> "pkg:maven/org.example/example" + i + "@4." + i + ".0?type=jar";
        };
    }

    /** A CycloneDX image SBOM: bash, apk-tools, an OS component and {@code n} generated packages. */
    public static ObjectNode cycloneDx(String specVersion, int n) {
        ObjectNode bom = UntrustedJson.mapper().createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", specVersion);
        bom.put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(("bom" + n).getBytes(StandardCharsets.UTF_8)));
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        metadata.put("timestamp", "2026-11-26T12:00:00Z");
        ObjectNode subject = metadata.putObject("component");
        subject.put("bom-ref", "image");
        subject.put("type", "container");
        subject.put("name", "registry.test/team/app");
        subject.put("version", IMAGE_DIGEST);
        ArrayNode components = bom.putArray("components");
        ArrayNode dependencies = bom.putArray("dependencies");
        ArrayNode imageDeps = dependencies.addObject().put("ref", "image").putArray("dependsOn");
        ObjectNode os = components.addObject();
        os.put("bom-ref", "os");
        os.put("type", "operating-system");
        os.put("name", "debian");
        os.put("version", "12.8");
        addCdxComponent(components, "bash", "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=debian-12", "GPL-3.0-or-later");
        addCdxComponent(components, "apt", "pkg:deb/debian/apt@2.6.1?arch=amd64&distro=debian-12", "GPL-2.0-or-later");
        for (int i = 0; i < n; i++) {
            String purl = purl(i);
            ObjectNode c = addCdxComponent(components, PackageUrl.parse(purl).name(), purl,
                    i % 3 == 0 ? null : "MIT");
            if (i % 3 == 0) {
                c.putArray("licenses").addObject().put("expression", "Apache-2.0 OR MIT");
            }
            imageDeps.add(purl);
            if (i > 0) {
                dependencies.addObject().put("ref", purl).putArray("dependsOn").add(purl(i - 1));
            }
        }
        return bom;
    }

    /**
     * An image SBOM using 1.7-only forms: mixed licence choices with acknowledgements and expression
     * details, an external component with a version range, citations, distribution constraints, a
     * cryptographic asset whose family comes from cryptography-defs, and a nested component.
     */
    public static ObjectNode cycloneDx17Features() {
        ObjectNode bom = UntrustedJson.mapper().createObjectNode();
        bom.put("$schema", "http://cyclonedx.org/schema/bom-1.7.schema.json");
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.7");
        bom.put("serialNumber", "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
        bom.put("version", 1);
        ObjectNode metadata = bom.putObject("metadata");
        metadata.put("timestamp", "2026-11-26T12:00:00Z");
        metadata.putObject("component").put("bom-ref", "image").put("type", "container")
                .put("name", "registry.test/team/app").put("version", IMAGE_DIGEST);
        metadata.putObject("distributionConstraints").put("tlp", "GREEN");
        metadata.putArray("licenses").addObject().putObject("license").put("id", "CC0-1.0");
        metadata.putArray("properties").addObject().put("name", "example:build").put("value", "42");

        ArrayNode components = bom.putArray("components");
        ObjectNode openssl = components.addObject();
        openssl.put("bom-ref", OPENSSL_PURL).put("type", "library").put("name", "openssl").put("version", "3.0.15-1")
                .put("purl", OPENSSL_PURL).put("scope", "required");
        openssl.putObject("manufacturer").put("name", "OpenSSL Foundation");
        ArrayNode licenses = openssl.putArray("licenses");
        licenses.addObject().putObject("license").put("id", "Apache-2.0").put("acknowledgement", "declared");
        ObjectNode concluded = licenses.addObject().put("expression", "Apache-2.0 AND LicenseRef-OpenSSL")
                .put("acknowledgement", "concluded");
        concluded.putArray("expressionDetails").addObject().put("licenseIdentifier", "LicenseRef-OpenSSL")
                .putObject("text").put("content", "T3BlblNTTCBMaWNlbnNl").put("encoding", "base64");
        ArrayNode hashes = openssl.putArray("hashes");
        hashes.addObject().put("alg", "SHA3-256").put("content", "a1".repeat(32));
        hashes.addObject().put("alg", "BLAKE3").put("content", "B2".repeat(32));
        openssl.putArray("omniborId").add("gitoid:blob:sha1:261eeb9e9f8b2b4b0d119366dda99c6fd7d35c64");
        openssl.putArray("swhid").add("swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2");
        ObjectNode patch = openssl.putObject("pedigree").putArray("patches").addObject().put("type", "backport");
        patch.putArray("resolves").addObject().put("type", "security").put("id", "CVE-2026-0001");
        openssl.putObject("swid").put("tagId", "openssl-3.0.15").put("name", "openssl");
        ObjectNode libcrypto = openssl.putArray("components").addObject();
        libcrypto.put("bom-ref", "libcrypto").put("type", "library").put("name", "libcrypto3").put("version", "3.0.15-1");
        libcrypto.putObject("supplier").put("name", "Debian");
        ArrayNode mixed = libcrypto.putArray("licenses");
        mixed.addObject().putObject("license").put("name", "OpenSSL License");
        mixed.addObject().put("expression", "Apache-2.0");

        ObjectNode curl = components.addObject();
        curl.put("bom-ref", "libcurl").put("type", "library").put("name", "libcurl").put("isExternal", true)
                .put("versionRange", "vers:generic/>=8.7.1|<9.0.0");
        curl.putArray("authors").addObject().put("name", "Daniel Stenberg");

        ObjectNode aes = components.addObject();
        aes.put("bom-ref", "aes").put("type", "cryptographic-asset").put("name", "AES-256-GCM");
        aes.putObject("cryptoProperties").put("assetType", "algorithm").putObject("algorithmProperties")
                .put("primitive", "ae").put("algorithmFamily", "AES").put("mode", "gcm");

        ArrayNode dependencies = bom.putArray("dependencies");
        dependencies.addObject().put("ref", "image").putArray("dependsOn").add(OPENSSL_PURL).add("libcurl");
        dependencies.addObject().put("ref", OPENSSL_PURL).putArray("dependsOn").add("libcrypto");

        ObjectNode service = bom.putArray("services").addObject();
        service.put("bom-ref", "registry").put("name", "registry");
        service.putArray("data").addObject().put("flow", "outbound").put("classification", "public");

        bom.putArray("citations").addObject().put("bom-ref", "citation-1").put("timestamp", "2026-11-26T12:00:00Z")
                .put("attributedTo", "registry").putArray("pointers").add("/components/0/licenses");
        return bom;
    }

    static ObjectNode addCdxComponent(ArrayNode components, String name, String purl, String license) {
        ObjectNode c = components.addObject();
        c.put("bom-ref", purl);
        c.put("type", "library");
        c.put("name", name);
        c.put("version", PackageUrl.parse(purl).version());
        c.put("purl", purl);
        c.putObject("supplier").put("name", "Example Maintainers");
        if (license != null) {
            c.putArray("licenses").addObject().putObject("license").put("id", license);
        }
        c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", hex(name.hashCode(), 32));
        c.putArray("properties").addObject().put("name", "example:layer").put("value", "sha256:" + hex(1, 32));
        return c;
    }

    /** An SPDX image SBOM: the image package, bash, apk-tools, {@code n} generated packages and two files. */
    public static ObjectNode spdx(String version, int n) {
        ObjectNode doc = UntrustedJson.mapper().createObjectNode();
        doc.put("spdxVersion", "SPDX-" + version);
        doc.put("dataLicense", "CC0-1.0");
        doc.put("SPDXID", "SPDXRef-DOCUMENT");
        doc.put("name", "registry.test/team/app");
        doc.put("documentNamespace", "https://sbom.example.test/app-" + n);
        ObjectNode creation = doc.putObject("creationInfo");
        creation.put("created", "2026-11-26T12:00:00Z");
        creation.putArray("creators").add("Tool: gatehouse-test").add("Organization: Example");
        ArrayNode packages = doc.putArray("packages");
        ArrayNode relationships = doc.putArray("relationships");
        ObjectNode image = spdxPackage(packages, "SPDXRef-Image", "registry.test/team/app", IMAGE_DIGEST,
                "pkg:oci/app@" + IMAGE_DIGEST.replace(":", "%3A") + "?repository_url=registry.test/team/app");
        image.put("primaryPackagePurpose", "CONTAINER");
        relationships.addObject().put("spdxElementId", "SPDXRef-DOCUMENT").put("relationshipType", "DESCRIBES")
                .put("relatedSpdxElement", "SPDXRef-Image");
        spdxPackage(packages, "SPDXRef-Package-bash", "bash", "5.2.21-r0",
                "pkg:apk/alpine/bash@5.2.21-r0?arch=x86_64&distro=alpine-3.20.0");
        spdxPackage(packages, "SPDXRef-Package-apk-tools", "apk-tools", "2.14.4-r0",
                "pkg:apk/alpine/apk-tools@2.14.4-r0?arch=x86_64&distro=alpine-3.20.0");
        for (int i = 0; i < n; i++) {
            String purl = purl(i);
            String id = "SPDXRef-Package-" + i;
            spdxPackage(packages, id, PackageUrl.parse(purl).name(), PackageUrl.parse(purl).version(), purl);
            relationships.addObject().put("spdxElementId", "SPDXRef-Image").put("relationshipType", "CONTAINS")
                    .put("relatedSpdxElement", id);
            if (i > 0) {
                relationships.addObject().put("spdxElementId", "SPDXRef-Package-" + (i - 1))
                        .put("relationshipType", "DEPENDENCY_OF").put("relatedSpdxElement", id);
            }
        }
        ArrayNode files = doc.putArray("files");
        for (String path : new String[] {"/bin/bash", "/etc/os-release"}) {
            ObjectNode f = files.addObject();
            f.put("SPDXID", "SPDXRef-File" + path.replace('/', '-'));
            f.put("fileName", path);
            f.putArray("checksums").addObject().put("algorithm", "SHA256").put("checksumValue", hex(path.length(), 32));
        }
        return doc;
    }

    static ObjectNode spdxPackage(ArrayNode packages, String id, String name, String version, String purl) {
        ObjectNode p = packages.addObject();
        p.put("SPDXID", id);
        p.put("name", name);
        p.put("versionInfo", version);
        p.put("downloadLocation", "NOASSERTION");
        p.put("supplier", "Organization: Example Maintainers");
        p.put("licenseConcluded", "NOASSERTION");
        p.put("licenseDeclared", "MIT");
        p.put("copyrightText", "NOASSERTION");
        p.putArray("checksums").addObject().put("algorithm", "SHA256").put("checksumValue", hex(name.hashCode(), 32));
        p.putArray("externalRefs").addObject().put("referenceCategory", "PACKAGE-MANAGER")
                .put("referenceType", "purl").put("referenceLocator", purl);
        return p;
    }

    /** An in-toto v1 statement about the fixture image with the given predicate. */
    public static ObjectNode statement(String predicateType, ObjectNode predicate) {
        ObjectNode statement = UntrustedJson.mapper().createObjectNode();
        statement.put("_type", "https://in-toto.io/Statement/v1");
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", "registry.test/team/app");
        subject.putObject("digest").put("sha256", IMAGE_DIGEST.substring(7));
        statement.put("predicateType", predicateType);
        statement.set("predicate", predicate);
        return statement;
    }

    /** A DSSE envelope around a statement, with a placeholder signature (not verified by the reader). */
    public static ObjectNode dsse(ObjectNode statement) {
        ObjectNode envelope = UntrustedJson.mapper().createObjectNode();
        envelope.put("payloadType", "application/vnd.in-toto+json");
        envelope.put("payload", Base64.getEncoder().encodeToString(bytes(statement)));
        envelope.putArray("signatures").addObject().put("keyid", "").put("sig", "MEUCIQ==");
        return envelope;
    }

    public static byte[] bytes(ObjectNode node) {
        try {
            return UntrustedJson.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pretty(ObjectNode node) {
        try {
            return UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
