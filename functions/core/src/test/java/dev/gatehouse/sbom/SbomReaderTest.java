package dev.gatehouse.sbom;

import static dev.gatehouse.sbom.SbomFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SbomReaderTest {

    private final SbomReader reader = new SbomReader();

    @Test
    void readsCycloneDxImageSbomIntoInventory() throws Exception {
        Inventory inventory = reader.read(bytes(SbomFixtures.cycloneDx("1.6", 8)));
        assertThat(inventory.format()).isEqualTo(SbomFormat.CYCLONEDX);
        assertThat(inventory.specVersion()).isEqualTo("1.6");
        assertThat(inventory.subject().digest()).isEqualTo(Digest.parse(SbomFixtures.IMAGE_DIGEST));
        assertThat(inventory.subject().type()).isEqualTo("container");
        assertThat(inventory.os()).isEqualTo(new OperatingSystem("debian", "12.8"));
        assertThat(inventory.components()).hasSize(11);
        Component deb = inventory.components().get(3);
        assertThat(deb.kind()).isEqualTo(ComponentKind.OS_PACKAGE);
        assertThat(deb.purl().type()).isEqualTo("deb");
        assertThat(deb.licenses()).containsExactly("Apache-2.0 OR MIT");
        assertThat(deb.supplier()).isEqualTo("Example Maintainers");
        assertThat(deb.hashes()).containsOnlyKeys("SHA-256");
        assertThat(deb.property("example:layer")).isPresent();
        assertThat(inventory.components().get(5).kind()).isEqualTo(ComponentKind.LANGUAGE_PACKAGE);
        assertThat(inventory.components().get(0).kind()).isEqualTo(ComponentKind.OTHER);
        assertThat(inventory.dependencies()).contains(new DependencyEdge("image", SbomFixtures.purl(0)),
                new DependencyEdge(SbomFixtures.purl(1), SbomFixtures.purl(0)));
        assertThat(inventory.facts().shells()).containsExactly("bash");
        assertThat(inventory.facts().packageManagers()).containsExactly("apt");
        assertThat(inventory.warnings()).isEmpty();
    }

    @Test
    void readsSpdxImageSbomIntoInventory() throws Exception {
        Inventory inventory = reader.read(bytes(SbomFixtures.spdx("2.3", 8)));
        assertThat(inventory.format()).isEqualTo(SbomFormat.SPDX);
        assertThat(inventory.specVersion()).isEqualTo("2.3");
        assertThat(inventory.subject().ref()).isEqualTo("SPDXRef-Image");
        assertThat(inventory.subject().digest()).isEqualTo(Digest.parse(SbomFixtures.IMAGE_DIGEST));
        assertThat(inventory.components()).hasSize(11);
        assertThat(inventory.components().get(0).kind()).isEqualTo(ComponentKind.CONTAINER);
        Component bash = inventory.components().get(1);
        assertThat(bash.kind()).isEqualTo(ComponentKind.OS_PACKAGE);
        assertThat(bash.licenses()).containsExactly("MIT");
        assertThat(bash.supplier()).isEqualTo("Example Maintainers");
        assertThat(bash.hashes()).containsOnlyKeys("SHA-256");
        assertThat(inventory.files()).extracting(Component::name).containsExactly("/bin/bash", "/etc/os-release");
        assertThat(inventory.dependencies()).contains(new DependencyEdge("SPDXRef-Image", "SPDXRef-Package-0"),
                new DependencyEdge("SPDXRef-Package-1", "SPDXRef-Package-0"));
        assertThat(inventory.facts().shells()).containsExactly("/bin/bash", "bash");
        assertThat(inventory.facts().packageManagers()).containsExactly("apk-tools");
        assertThat(inventory.os().name()).isIn("alpine", "debian");
    }

    @Test
    void spdx22IsReadLikeSpdx23() throws Exception {
        Inventory inventory = reader.read(bytes(SbomFixtures.spdx("2.2", 3)));
        assertThat(inventory.specVersion()).isEqualTo("2.2");
        assertThat(inventory.components()).hasSize(6);
    }

    @Test
    void unwrapsStatementsAndDsseEnvelopesWithEitherFormat() throws Exception {
        ObjectNode cdx = SbomFixtures.cycloneDx("1.5", 4);
        ObjectNode spdx = SbomFixtures.spdx("2.3", 4);
        for (String type : new String[] {"https://cyclonedx.org/bom", "https://cyclonedx.org/bom/v1.5"}) {
            ObjectNode statement = SbomFixtures.statement(type, cdx);
            assertThat(reader.read(bytes(statement)).components()).hasSize(7);
            SbomValidation validation = reader.validate(bytes(SbomFixtures.dsse(statement)));
            assertThat(validation.isValid()).isTrue();
            assertThat(validation.wrapping()).contains("DSSE envelope").contains(type);
        }
        ObjectNode spdxStatement = SbomFixtures.statement("https://spdx.dev/Document", spdx);
        assertThat(reader.read(bytes(SbomFixtures.dsse(spdxStatement))).format()).isEqualTo(SbomFormat.SPDX);
        assertThat(reader.readPredicate("https://spdx.dev/Document/v2.3", spdx).components()).hasSize(7);
    }

    @Test
    void predicateEmbeddedAsTextIsUnwrapped() throws Exception {
        ObjectNode statement = SbomFixtures.statement("https://spdx.dev/Document", null);
        statement.putObject("predicate").put("Data", new String(bytes(SbomFixtures.spdx("2.3", 1)), StandardCharsets.UTF_8));
        assertThat(reader.read(bytes(statement)).components()).hasSize(4);
    }

    @Test
    void statementWhosePredicateIsNoSbomIsRefused() {
        ObjectNode statement = SbomFixtures.statement("https://slsa.dev/provenance/v1", SbomFixtures.cycloneDx("1.6", 1));
        assertThatThrownBy(() -> reader.read(bytes(statement)))
                .isInstanceOf(MalformedInputException.class)
                .hasMessage("in-toto statement at /predicateType: predicate type 'https://slsa.dev/provenance/v1' "
                        + "is not a CycloneDX or SPDX SBOM");
    }

    @Test
    void predicateTypeThatContradictsThePredicateIsRefused() {
        ObjectNode statement = SbomFixtures.statement("https://cyclonedx.org/bom", SbomFixtures.spdx("2.3", 1));
        assertThatThrownBy(() -> reader.read(bytes(statement)))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("in-toto statement at /predicate: predicate type https://cyclonedx.org/bom "
                        + "announces CycloneDX SBOM but the predicate is a SPDX SBOM");
    }

    @Test
    void envelopeWithAnotherPayloadTypeOrBadBase64IsRefused() {
        ObjectNode envelope = SbomFixtures.dsse(SbomFixtures.statement("https://cyclonedx.org/bom",
                SbomFixtures.cycloneDx("1.6", 1)));
        ObjectNode otherType = envelope.deepCopy().put("payloadType", "text/plain");
        assertThatThrownBy(() -> reader.read(bytes(otherType)))
                .hasMessageStartingWith("DSSE envelope at /payloadType: payload type \"text/plain\"");
        ObjectNode badBase64 = envelope.deepCopy().put("payload", "not*base64");
        assertThatThrownBy(() -> reader.read(bytes(badBase64)))
                .hasMessageStartingWith("DSSE envelope at /payload: payload is not valid base64");
    }

    @Test
    void malformedJsonNamesTheFormatLineAndColumn() {
        String cdx = SbomFixtures.pretty(SbomFixtures.cycloneDx("1.6", 3));
        byte[] truncated = cdx.substring(0, cdx.length() - 40).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.read(truncated))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageMatching("CycloneDX SBOM at line \\d+, column \\d+: .+");
        String spdx = SbomFixtures.pretty(SbomFixtures.spdx("2.3", 3));
        byte[] broken = spdx.replaceFirst("\"name\" :", "\"name\" ").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.validate(broken))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageMatching("SPDX SBOM at line \\d+, column \\d+: .+");
    }

    @Test
    void inputThatIsNoSbomIsRefusedByName() {
        assertThatThrownBy(() -> reader.read(new byte[0])).hasMessage("SBOM: empty document");
        assertThatThrownBy(() -> reader.read("[1,2]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("SBOM at /: expected a JSON object, found array");
        assertThatThrownBy(() -> reader.read("{\"hello\": 1}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageStartingWith("SBOM at /: neither a CycloneDX JSON document");
        assertThatThrownBy(() -> reader.read("<?xml version=\"1.0\"?><bom/>".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("SBOM at line 1: XML SBOMs are not supported; use CycloneDX JSON");
        assertThatThrownBy(() -> reader.read("SPDXVersion: SPDX-2.3\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("SBOM at line 1: SPDX tag-value is not supported; use SPDX JSON");
    }

    @Test
    void schemaInvalidCycloneDxIsRefusedWithEveryViolation() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.6", 2);
        ((ObjectNode) bom.get("components").get(1)).put("type", "spaceship");
        ((ObjectNode) bom.get("components").get(2).get("hashes").get(0)).put("content", "xyz");
        SbomValidation result = reader.validate(bytes(bom));
        assertThat(result).isInstanceOf(SbomValidation.Invalid.class);
        assertThat(((SbomValidation.Invalid) result).violations()).extracting(SchemaViolation::location)
                .contains("/components/1/type", "/components/2/hashes/0/content");
        assertThatThrownBy(() -> reader.read(bytes(bom)))
                .isInstanceOf(InvalidSbomException.class)
                .hasMessageStartingWith("CycloneDX 1.6 SBOM at /components/")
                .hasMessageContaining("(and 1 more violations)");
    }

    @Test
    void unknownCycloneDxVersionIsInvalidAtSpecVersion() throws Exception {
        SbomValidation result = reader.validate(bytes(SbomFixtures.cycloneDx("2.0", 1)));
        assertThat(((SbomValidation.Invalid) result).violations())
                .containsExactly(new SchemaViolation("/specVersion", "unsupported CycloneDX version '2.0' (supported: 1.2 to 1.7)"));
    }

    @Test
    void cycloneDx12And13NameAnyRevisionOfTheirOwnSchema() throws Exception {
        for (String[] v : new String[][] {{"1.2", "1.2b"}, {"1.3", "1.3a"}}) {
            ObjectNode bom = UntrustedJson.mapper().createObjectNode();
            bom.put("$schema", "http://cyclonedx.org/schema/bom-" + v[1] + ".schema.json");
            bom.put("bomFormat", "CycloneDX");
            bom.put("specVersion", v[0]);
            bom.put("version", 1);
            bom.putArray("components").addObject().put("type", "library").put("name", "zlib").put("version", "1.3");
            assertThat(reader.validate(bytes(bom)).isValid()).as(v[1]).isTrue();
            bom.put("$schema", "http://cyclonedx.org/schema/bom-1.4.schema.json");
            assertThat(reader.validate(bytes(bom)).isValid()).as("another version's schema").isFalse();
            bom.put("$schema", "http://cyclonedx.org/schema/bom-" + v[1] + ".schema.json");
            bom.put("unknownTopLevel", true);
            assertThat(reader.validate(bytes(bom)).isValid()).as("still strict about properties").isFalse();
        }
    }

    @Test
    void newerCycloneDxIsCheckedAgainstTheNewestSchemaWithWarnings() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.8", 2);
        ((ObjectNode) bom.get("components").get(1)).put("futureField", "x");
        SbomValidation result = reader.validate(bytes(bom));
        assertThat(result.isValid()).isTrue();
        assertThat(result.warnings()).hasSize(2)
                .anyMatch(w -> w.contains("checked against the 1.7 schema"))
                .anyMatch(w -> w.contains("/components/1/futureField"));
        ((ObjectNode) bom.get("components").get(1)).put("type", "spaceship");
        assertThat(reader.validate(bytes(bom)).isValid()).isFalse();
    }

    @Test
    void danglingDependencyRefsAreWarningsAndNoEdges() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.6", 2);
        ((ArrayNode) bom.get("dependencies")).addObject().put("ref", "ghost").putArray("dependsOn").add("image");
        SbomValidation result = reader.validate(bytes(bom));
        assertThat(result.isValid()).isTrue();
        assertThat(result.warnings()).containsExactly("/dependencies/2/ref: 'ghost' is not the bom-ref of a component or service");
        assertThat(reader.read(bytes(bom)).dependencies()).noneMatch(e -> e.from().equals("ghost"));
    }

    @Test
    void spdxStructuralViolationsNameTheirPlace() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.3", 2);
        doc.remove("documentNamespace");
        ((ObjectNode) doc.get("packages").get(1)).put("SPDXID", "SPDXRef-Package-bash-dup");
        ((ObjectNode) doc.get("packages").get(2)).put("SPDXID", "SPDXRef-Package-bash-dup");
        ((ObjectNode) doc.get("packages").get(3)).remove("name");
        ((ArrayNode) doc.get("relationships")).addObject().put("spdxElementId", "SPDXRef-Image")
                .put("relationshipType", "CONTAINS").put("relatedSpdxElement", "SPDXRef-Nowhere");
        ((ArrayNode) doc.get("relationships")).addObject().put("spdxElementId", "SPDXRef-Image")
                .put("relationshipType", "LIKES").put("relatedSpdxElement", "NONE");
        ((ObjectNode) doc.get("creationInfo")).put("created", "yesterday");
        SbomValidation result = reader.validate(bytes(doc));
        assertThat(result).isInstanceOf(SbomValidation.Invalid.class);
        assertThat(((SbomValidation.Invalid) result).violations()).extracting(SchemaViolation::toString)
                .contains("/documentNamespace: required property 'documentNamespace' not found",
                        "/creationInfo/created: 'yesterday' is not a date-time like 2024-01-31T12:00:00Z",
                        "/packages/2/SPDXID: 'SPDXRef-Package-bash-dup' is not unique in the document",
                        "/packages/3: required property 'name' not found",
                        "/relationships/4/relatedSpdxElement: 'SPDXRef-Nowhere' is not an element of this document "
                                + "or a declared external document",
                        "/relationships/5/relationshipType: 'LIKES' is not an SPDX relationship type");
        assertThatThrownBy(() -> reader.read(bytes(doc)))
                .isInstanceOf(InvalidSbomException.class)
                .hasMessageStartingWith("SPDX 2.3 SBOM at /documentNamespace: required property");
    }

    @Test
    void unsupportedSpdxVersionIsInvalid() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.3", 1).put("spdxVersion", "SPDX-2.1");
        assertThat(((SbomValidation.Invalid) reader.validate(bytes(doc))).violations())
                .containsExactly(new SchemaViolation("/spdxVersion",
                        "unsupported SPDX version \"SPDX-2.1\" (supported: SPDX-2.2, SPDX-2.3)"));
    }

    @Test
    void spdxPackagesWithoutDownloadLocationAreReadWithAWarning() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.2", 2);
        doc.get("packages").forEach(p -> ((ObjectNode) p).remove("downloadLocation"));
        SbomValidation result = reader.validate(bytes(doc));
        assertThat(result.isValid()).isTrue();
        assertThat(result.warnings()).containsExactly("package without the required downloadLocation (5x, first at /packages/0)");
        assertThat(reader.read(bytes(doc)).components()).hasSize(5);
    }

    @Test
    void classifiesWithoutPurlFromGeneratorProperties() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.6", 0);
        ArrayNode components = (ArrayNode) bom.get("components");
        ObjectNode syftApk = components.addObject().put("type", "library").put("name", "musl").put("bom-ref", "a");
        syftApk.putArray("properties").addObject().put("name", "syft:package:type").put("value", "apk");
        ObjectNode syftJar = components.addObject().put("type", "library").put("name", "guava").put("bom-ref", "b");
        syftJar.putArray("properties").addObject().put("name", "syft:package:type").put("value", "java-archive");
        ObjectNode trivyOs = components.addObject().put("type", "library").put("name", "zlib").put("bom-ref", "c");
        trivyOs.putArray("properties").addObject().put("name", "aquasecurity:trivy:PkgType").put("value", "debian");
        components.addObject().put("type", "application").put("name", "server").put("bom-ref", "d");
        components.addObject().put("type", "file").put("name", "/usr/bin/passwd").put("bom-ref", "e");
        components.addObject().put("type", "container").put("name", "base").put("bom-ref", "f");
        components.addObject().put("type", "library").put("name", "thing").put("bom-ref", "g");
        Inventory inventory = reader.read(bytes(bom));
        assertThat(inventory.components().subList(3, 10)).extracting(Component::kind).containsExactly(
                ComponentKind.OS_PACKAGE, ComponentKind.LANGUAGE_PACKAGE, ComponentKind.OS_PACKAGE,
                ComponentKind.APPLICATION, ComponentKind.FILE, ComponentKind.CONTAINER, ComponentKind.OTHER);
    }

    @Test
    void setuidFilesComeFromFileModeProperties() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.6", 0);
        ArrayNode components = (ArrayNode) bom.get("components");
        components.addObject().put("type", "file").put("name", "/usr/bin/passwd").put("bom-ref", "f1")
                .putArray("properties").addObject().put("name", "syft:file:mode").put("value", "4755");
        components.addObject().put("type", "file").put("name", "/usr/bin/su").put("bom-ref", "f2")
                .putArray("properties").addObject().put("name", "permissions").put("value", "-rwsr-xr-x");
        components.addObject().put("type", "file").put("name", "/usr/bin/env").put("bom-ref", "f3")
                .putArray("properties").addObject().put("name", "syft:file:mode").put("value", "0755");
        components.addObject().put("type", "file").put("name", "/bin/dash").put("bom-ref", "f4");
        components.addObject().put("type", "file").put("name", "/usr/local/bin/pip3").put("bom-ref", "f5");
        InventoryFacts facts = reader.read(bytes(bom)).facts();
        assertThat(facts.setuidFiles()).containsExactly("/usr/bin/passwd", "/usr/bin/su");
        assertThat(facts.shells()).containsExactly("/bin/dash", "bash");
        assertThat(facts.packageManagers()).containsExactly("/usr/local/bin/pip3", "apt");
    }

    @Test
    void osFallsBackToTheDistroQualifierOfOsPackages() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.5", 4);
        ((ArrayNode) bom.get("components")).remove(0);
        assertThat(reader.read(bytes(bom)).os()).isEqualTo(new OperatingSystem("debian", "12"));
    }

    @Test
    void boundsDocumentSizeAndComponentCount() {
        byte[] big = bytes(SbomFixtures.cycloneDx("1.6", 20));
        assertThatThrownBy(() -> new SbomReader(1000, 1000).read(big))
                .hasMessageMatching("CycloneDX SBOM: document of \\d+ bytes exceeds the limit of 1000 bytes");
        assertThatThrownBy(() -> new SbomReader(SbomReader.DEFAULT_MAX_BYTES, 10).read(big))
                .hasMessage("CycloneDX 1.6 SBOM at /components/10: more than 10 components; refusing to read further");
        byte[] spdx = bytes(SbomFixtures.spdx("2.3", 20));
        assertThatThrownBy(() -> new SbomReader(SbomReader.DEFAULT_MAX_BYTES, 10).read(spdx))
                .hasMessage("SPDX 2.3 SBOM at /packages: more than 10 entries; refusing to read");
    }

    @Test
    void duplicateKeysAreRefusedSoThatTwoReadersNeverSeeTwoDocuments() {
        String doc = new String(bytes(SbomFixtures.cycloneDx("1.6", 1)), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"specVersion\":\"1.4\",");
        assertThatThrownBy(() -> reader.read(doc.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Duplicate field 'specVersion'");
    }

    @Test
    void everyTruncationOfADocumentFailsCleanly() {
        byte[] whole = bytes(SbomFixtures.dsse(SbomFixtures.statement("https://spdx.dev/Document", SbomFixtures.spdx("2.3", 2))));
        byte[] spdx = bytes(SbomFixtures.spdx("2.3", 2));
        for (byte[] doc : new byte[][] {whole, spdx}) {
            for (int cut = 0; cut < doc.length; cut += 7) {
                byte[] prefix = Arrays.copyOf(doc, cut);
                assertThatThrownBy(() -> reader.read(prefix)).isInstanceOf(MalformedInputException.class);
            }
        }
    }

    @Test
    void spdxPackageManagerRefsOtherThanPurlStillGiveAPurl() throws Exception {
        ObjectNode doc = SbomFixtures.spdx("2.2", 0);
        ObjectNode pkg = (ObjectNode) doc.get("packages").get(1);
        pkg.putArray("externalRefs").addObject().put("referenceCategory", "PACKAGE_MANAGER")
                .put("referenceType", "maven-central").put("referenceLocator", "org.example:lib:1.2.3");
        Component component = reader.read(bytes(doc)).components().get(1);
        assertThat(component.purl()).isEqualTo(PackageUrl.parse("pkg:maven/org.example/lib@1.2.3"));
        assertThat(component.kind()).isEqualTo(ComponentKind.LANGUAGE_PACKAGE);
    }

    @Test
    void spdx3IsRefusedByName() {
        byte[] doc = "{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\", \"@graph\": []}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.validate(doc))
                .hasMessage("SBOM at /@context: SPDX 3 (JSON-LD) is not supported; use SPDX 2.2 or 2.3 JSON");
    }

    @Test
    void anEmptySbomIsReadWithAWarningNeverSilently() throws Exception {
        ObjectNode bom = SbomFixtures.cycloneDx("1.6", 0);
        bom.putArray("components");
        bom.putArray("dependencies");
        Inventory inventory = reader.read(bytes(bom));
        assertThat(inventory.components()).isEmpty();
        assertThat(inventory.warnings()).containsExactly("the SBOM lists no components");
    }
}
