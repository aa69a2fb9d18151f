package dev.gatehouse.vex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.testing.Oracles;
import dev.gatehouse.sbom.PackageUrl;
import dev.gatehouse.vuln.Finding;
import dev.gatehouse.vuln.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The VEX oracle cases of ../shared/oracles/vex (MANIFEST.md) and the openvex-discovery alpine document. */
class VexOracleTest {

    static VexDocument load(Path file) throws IOException, MalformedInputException {
        return VexDocuments.parse(Files.readAllBytes(file), new VexSource.OperatorSupplied(file.toString()));
    }

    static Path vex(String relative) {
        return Oracles.require("vex/" + relative);
    }

    static Finding finding(String id, String purl) {
        return new Finding(id, Set.of(), purl == null ? null : PackageUrl.parse(purl), null, null, Severity.HIGH,
                null, null, List.of(), null, null, null);
    }

    static ProductIdentity purl(String purl) {
        return ProductIdentity.ofPurl(PackageUrl.parse(purl));
    }

    static VexVerdict decide(List<VexDocument> docs, Finding f, FindingContext context) throws VexMergeException {
        return new VexApplication(VexMerger.merge(docs), VexPolicy.defaults()).decide(f, context);
    }

    /** The status of the statement that decides (vulnerability, product) directly, or null. */
    static VexStatus effective(List<VexDocument> docs, String vuln, ProductIdentity product) throws VexMergeException {
        VexVerdict v = decide(docs, finding(vuln, null), new FindingContext(product, List.of()));
        return v.statement().map(VexStatement::status).orElse(null);
    }

    @Nested
    class OpenVexSpec {
        @Test
        void example1IsFixedForBothArchitecturesWithTheDocumentTimestamp() throws Exception {
            VexDocument d = load(vex("openvex-spec/openvex-spec-example_1.json"));
            assertThat(d.statements()).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(VexStatus.FIXED);
                assertThat(s.timestamp()).isEqualTo(java.time.OffsetDateTime.parse("2023-01-08T18:02:03.647787998-06:00").toInstant());
            });
            assertThat(effective(List.of(d), "CVE-2023-12345", purl("pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"))).isEqualTo(VexStatus.FIXED);
            assertThat(effective(List.of(d), "CVE-2023-12345", purl("pkg:apk/wolfi/git@2.39.0-r1?arch=armv7"))).isEqualTo(VexStatus.FIXED);
            assertThat(effective(List.of(d), "CVE-2023-12345", purl("pkg:apk/wolfi/git@2.39.0-r2?arch=armv7"))).isNull();
        }

        @Test
        void updatedDocumentMakesTheInheritingStatementWin() throws Exception {
            VexDocument v1 = load(vex("openvex-spec/openvex-spec-example_2.json"));
            VexDocument v2 = load(vex("openvex-spec/openvex-spec-example_3_update-v2.normalized.json"));
            assertThat(v1.statements().get(0).timestamp()).isEqualTo(v1.timestamp());
            ProductIdentity armv7 = purl("pkg:apk/wolfi/git@2.39.0-r1?arch=armv7");
            assertThat(effective(List.of(v1), "CVE-2023-12345", armv7)).isEqualTo(VexStatus.UNDER_INVESTIGATION);
            assertThat(effective(List.of(v2), "CVE-2023-12345", armv7)).isEqualTo(VexStatus.FIXED);
            assertThat(effective(List.of(v2, v1), "CVE-2023-12345", armv7)).isEqualTo(VexStatus.FIXED);
        }

        @Test
        void log4shellExampleIsNotAffectedAndFoundByAlias() throws Exception {
            VexDocument d = load(vex("openvex-spec/openvex-spec-example_4_spring-log4shell.normalized.json"));
            VexStatement s = d.statements().get(0);
            assertThat(s.justification()).isEqualTo("vulnerable_code_not_in_execute_path");
            assertThat(s.impactStatement()).isNotBlank();
            ProductIdentity spring = purl("pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3");
            assertThat(effective(List.of(d), "GHSA-jfh8-c2jp-5v3q", spring)).isEqualTo(VexStatus.NOT_AFFECTED);
        }
    }

    @Nested
    class GoVex {
        @Test
        void v020ParsesFiveStatementsForTheAlpineImage() throws Exception {
            VexDocument d = VexDocuments.parseCurrent(Files.readAllBytes(vex("go-vex/v0.2.0.json")), new VexSource.OperatorSupplied("t"));
            assertThat(d.statements()).hasSize(5);
            assertThat(d.statements()).extracting(VexStatement::vulnerability)
                    .containsExactly("CVE-2023-1255", "CVE-2023-2650", "CVE-2023-2975", "CVE-2023-3446", "CVE-2023-3817");
            assertThat(d.statements()).allSatisfy(s -> assertThat(s.products().get(0).product().imageDigest())
                    .isEqualTo(Digest.parse("sha256:124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126")));
        }

        @Test
        void currentOnlyParsingRejectsV001AndNamesThePlace() {
            for (String f : List.of("go-vex/v0.0.1.json", "go-vex/v0.0.1-noversion.json")) {
                Path file = vex(f);
                assertThatThrownBy(() -> VexDocuments.parseCurrent(Files.readAllBytes(file), new VexSource.OperatorSupplied(f)))
                        .isInstanceOf(MalformedInputException.class)
                        .hasMessageStartingWith("OpenVEX at /");
            }
        }

        @Test
        void yamlOpenVexIsReadLikeJson() throws Exception {
            VexDocument d = load(vex("go-vex/vex.yaml"));
            assertThat(d.statements()).extracting(VexStatement::vulnerability).containsExactly("CVE-2022-31030", "CVE-2021-44228");
            assertThat(d.statements().get(0).aliases()).contains("DSA-5162");
            assertThatThrownBy(() -> VexDocuments.parse("statements: [\n  - {a: }\n  b".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new VexSource.OperatorSupplied("t"))).isInstanceOf(MalformedInputException.class).hasMessageStartingWith("OpenVEX YAML at line");
        }

        @Test
        void v001IsMigratedWithAWarning() throws Exception {
            VexDocument d = load(vex("go-vex/v0.0.1.json"));
            assertThat(d.statements()).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(VexStatus.FIXED);
                assertThat(s.products()).hasSize(2);
            });
            assertThat(d.warnings()).anyMatch(w -> w.contains("0.0.1"));
        }

        @Test
        void mergingV001DocumentsKeepsBothStatementsAndTheLaterFixedWins() throws Exception {
            VexDocument d1 = load(vex("go-vex/v001-1.vex.json"));
            VexDocument d2 = load(vex("go-vex/v001-2.vex.json"));
            MergedVex merged = VexMerger.merge(List.of(d2, d1));
            assertThat(merged.statements()).extracting(VexStatement::status)
                    .containsExactly(VexStatus.UNDER_INVESTIGATION, VexStatus.FIXED);
            assertThat(merged.id()).startsWith("merged-vex-");
            assertThat(effective(List.of(d1, d2), "CVE-1234-5678", purl("pkg:apk/wolfi/bash@1.0.0"))).isEqualTo(VexStatus.FIXED);
        }

        @Test
        void mergeFiltersByProductAndByVulnerability() throws Exception {
            VexDocument d1 = load(vex("go-vex/v020-1.vex.json"));
            VexDocument d2 = load(vex("go-vex/v020-2.vex.json"));
            MergedVex byProduct = VexMerger.merge(List.of(d1, d2), Set.of("pkg:apk/wolfi/git@2.41.0-1"), Set.of());
            assertThat(byProduct.statements()).singleElement().extracting(VexStatement::documentId).isEqualTo(d2.id());
            MergedVex byVuln = VexMerger.merge(List.of(d1, d2), Set.of(), Set.of("CVE-9876-54321"));
            assertThat(byVuln.statements()).singleElement().extracting(VexStatement::documentId).isEqualTo(d1.id());
            assertThatThrownBy(() -> VexMerger.merge(List.of())).isInstanceOf(VexMergeException.class);
        }

        @Test
        void csafBecomesOneNotAffectedStatementSelectedByProductIdOrPurl() throws Exception {
            VexDocument d = load(vex("go-vex/csaf.json"));
            assertThat(d.id()).isEqualTo("2022-EVD-UC-01-NA-001");
            assertThat(d.statements()).singleElement().satisfies(s -> {
                assertThat(s.vulnerability()).isEqualTo("CVE-2009-4487");
                assertThat(s.status()).isEqualTo(VexStatus.NOT_AFFECTED);
            });
            for (String id : List.of("CSAFPID-0001", "pkg:golang/github.com/go-homedir@v1.2.0")) {
                assertThat(VexMerger.merge(List.of(d), Set.of(id), Set.of()).statements()).hasSize(1);
            }
            assertThat(VexMerger.merge(List.of(d), Set.of("CSAFPID-0002"), Set.of()).statements()).isEmpty();
        }

        @Test
        void csafPackageFixturesParse() throws Exception {
            VexDocument csaf = load(vex("go-vex/pkg-csaf_csaf.json"));
            List<String> seen = new ArrayList<>();
            csaf.statements().forEach(st -> seen.add(st.vulnerability() + " " + st.status().label() + " " + st.products().get(0).product().id()));
            assertThat(seen).containsExactlyInAnyOrder(
                    "CVE-2009-4487 not_affected CSAFPID-0001", "CVE-2009-4487 affected ABC:CSAFPID-0002",
                    "CVE-2009-4488 not_affected CSAFPID-0001", "CVE-2009-4488 affected ABC:CSAFPID-0002");
            assertThat(csaf.statements()).filteredOn(st -> st.status() == VexStatus.NOT_AFFECTED).allMatch(VexStatement::applicable);
            VexDocument open = load(vex("go-vex/pkg-csaf_openvex.json"));
            assertThat(open.statements()).singleElement().extracting(VexStatement::status).isEqualTo(VexStatus.FIXED);
        }
    }

    @Nested
    class Vexctl {
        @Test
        void productIdentifiersOfImagesAreReadAsWritten() throws Exception {
            VexDocument d = load(vex("vexctl/images.vex.json"));
            assertThat(d.statements()).extracting(s -> s.products().get(0).product().id()).containsExactly(
                    "pkg:oci/alpine@sha256%3Af271e74b17ced29b915d351685fd4644785c6d1559dd1f2d4189a5e851ef753a",
                    "nginx", "registry.k8s.io/kube-apiserver:v1.26.0",
                    "pkg:oci/kube-apiserver?repository_url=registry.k8s.io&tag=v1.26.0");
            ProductIdentity alpine = ProductIdentity.ofImage("alpine",
                    Digest.parse("sha256:f271e74b17ced29b915d351685fd4644785c6d1559dd1f2d4189a5e851ef753a"), null);
            assertThat(d.statements().get(0).products().get(0).product().matches(alpine)).isTrue();
            assertThat(d.statements().get(2).products().get(0).product()
                    .matches(ProductIdentity.ofIdentifier("registry.k8s.io/kube-apiserver:v1.26.0"))).isTrue();
            assertThat(d.statements().get(3).products().get(0).product().matches(
                    purl("pkg:oci/kube-apiserver@sha256:74634d97?repository_url=registry.k8s.io&tag=v1.26.0"))).isTrue();
        }

        @Test
        void twoDocumentsMergeToFixed() throws Exception {
            VexDocument d1 = load(vex("vexctl/examples/openvex/document1.vex.json"));
            VexDocument d2 = load(vex("vexctl/examples/openvex/document2.vex.json"));
            assertThat(effective(List.of(d2, d1), "CVE-1234-5678", purl("pkg:apk/wolfi/bash@1.0.0"))).isEqualTo(VexStatus.FIXED);
        }

        @Test
        void statementsWithoutProductsAreListedButNeverApplied() throws Exception {
            VexDocument d = load(vex("vexctl/test.vex.json"));
            MergedVex merged = VexMerger.merge(List.of(d));
            assertThat(merged.statements()).noneMatch(s -> s.products().isEmpty());
        }

        @Test
        void examplesAllParse() throws Exception {
            try (var files = Files.list(vex("vexctl/examples/csaf"))) {
                for (Path f : files.filter(p -> !p.getFileName().toString().startsWith("sbom")).toList()) {
                    assertThat(load(f).statements()).as(f.toString()).isNotEmpty();
                }
            }
            assertThat(load(vex("vexctl/templates/oci-vexctl.openvex.json")).statements()).hasSize(1);
            assertThat(load(vex("vexctl/examples/openvex/demo.vex.json")).statements()).hasSize(1);
        }
    }

    @Nested
    class Trivy {
        final ProductIdentity springBoot = purl("pkg:maven/org.springframework.boot/spring-boot@2.6.0");
        final Finding log4shell = finding("CVE-2021-44228", "pkg:maven/org.springframework.boot/spring-boot@2.6.0");

        @Test
        void openVexSuppressesTheNamedPackage() throws Exception {
            VexVerdict v = decide(List.of(load(vex("trivy-vex/openvex.json"))), log4shell, new FindingContext(springBoot, List.of()));
            assertThat(v.suppressed()).isTrue();
            assertThat(v.statement().orElseThrow().justification()).isEqualTo("vulnerable_code_not_in_execute_path");
        }

        @Test
        void latestStatementWinsWithinADocument() throws Exception {
            VexVerdict v = decide(List.of(load(vex("trivy-vex/openvex-multiple.json"))), log4shell, new FindingContext(springBoot, List.of()));
            assertThat(v.suppressed()).isTrue();
            assertThat(v.statement().orElseThrow().status()).isEqualTo(VexStatus.NOT_AFFECTED);
        }

        @Test
        void imageProductWithSubcomponentSuppressesOnlyInThatImage() throws Exception {
            Finding bash = finding("CVE-2022-3715", "pkg:deb/debian/bash@5.1-2?distro=debian-12");
            ProductIdentity component = purl("pkg:deb/debian/bash@5.1-2?distro=debian-12");
            ProductIdentity image = purl("pkg:oci/debian@sha256%3A1234?repository_url=index.docker.io/library/debian");
            FindingContext context = FindingContext.inImage(component, image);
            assertThat(decide(List.of(load(vex("trivy-vex/openvex-oci.json"))), bash, context).suppressed()).isTrue();
            assertThat(decide(List.of(load(vex("trivy-vex/openvex-oci-mismatch.json"))), bash, context).suppressed()).isFalse();
        }

        final ProductIdentity root = purl("pkg:golang/github.com/aquasecurity/go-root@v1.0.0");
        final ProductIdentity direct1 = purl("pkg:golang/github.com/aquasecurity/go-direct1@v2.0.0");
        final ProductIdentity direct2 = purl("pkg:golang/github.com/aquasecurity/go-direct2@v3.0.0");
        final ProductIdentity transitive = purl("pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0");
        final Finding cve0001 = finding("CVE-2024-0001", "pkg:golang/github.com/aquasecurity/go-transitive@v4.0.0");

        FindingContext onlyThroughDirect1() {
            return new FindingContext(transitive, List.of(List.of(direct1, root)));
        }

        FindingContext alsoThroughDirect2() {
            return new FindingContext(transitive, List.of(List.of(direct1, root), List.of(direct2, root)));
        }

        @Test
        void nestedSubcomponentNeedsEveryDependencyPathCovered() throws Exception {
            List<VexDocument> docs = List.of(load(vex("trivy-vex/openvex-nested.json")));
            assertThat(decide(docs, cve0001, onlyThroughDirect1()).suppressed()).isTrue();
            assertThat(decide(docs, cve0001, alsoThroughDirect2()).suppressed()).isFalse();
        }

        @Test
        void csafKnownNotAffectedSuppresses() throws Exception {
            VexVerdict v = decide(List.of(load(vex("trivy-vex/csaf.json"))), cve0001, onlyThroughDirect1());
            assertThat(v.suppressed()).isTrue();
            assertThat(v.statement().orElseThrow().impactStatement()).isEqualTo("vulnerable_code_not_in_execute_path");
        }

        @Test
        void csafRelationshipCoversOnlyTheSinglePath() throws Exception {
            List<VexDocument> docs = List.of(load(vex("trivy-vex/csaf-relationships.json")));
            assertThat(decide(docs, cve0001, onlyThroughDirect1()).suppressed()).isTrue();
            assertThat(decide(docs, cve0001, alsoThroughDirect2()).suppressed()).isFalse();
        }

        @Test
        void cycloneDxBomLinkMustMatchTheSbomSerialAndVersion() throws Exception {
            List<VexDocument> docs = List.of(load(vex("trivy-vex/cyclonedx.json")));
            String ref = "pkg:maven/org.springframework.boot/spring-boot@2.6.0";
            ProductIdentity inSbom = springBoot.withBomLink(BomLink.of("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", 1, ref).orElseThrow());
            ProductIdentity elsewhere = springBoot.withBomLink(BomLink.of("urn:uuid:wrong", 1, ref).orElseThrow());
            VexVerdict v = decide(docs, log4shell, new FindingContext(inSbom, List.of()));
            assertThat(v.suppressed()).isTrue();
            assertThat(v.statement().orElseThrow().justification()).isEqualTo("vulnerable_code_not_in_execute_path");
            assertThat(decide(docs, log4shell, new FindingContext(elsewhere, List.of())).suppressed()).isFalse();
            assertThat(decide(docs, log4shell, new FindingContext(springBoot, List.of())).suppressed()).isFalse();
        }

        @Test
        void unknownDocumentIsAnErrorNotAnEmptyResult() {
            Path unknown = vex("trivy-vex/unknown.json");
            assertThatThrownBy(() -> load(unknown))
                    .isInstanceOf(MalformedInputException.class)
                    .hasMessageContaining("unable to load VEX");
        }
    }

    @Nested
    class CycloneDx {
        @Test
        void vexAgainstItsSbomSuppressesJacksonDatabind() throws Exception {
            VexDocument d = load(vex("cyclonedx-vex/vex.json"));
            String ref = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar";
            ProductIdentity databind = purl(ref).withBomLink(BomLink.of("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", 1, ref).orElseThrow());
            VexVerdict v = decide(List.of(d), finding("CVE-2020-25649", ref), new FindingContext(databind, List.of()));
            assertThat(v.suppressed()).isTrue();
        }

        static ProductIdentity named(String name, String version) {
            return new ProductIdentity(null, Set.of(), null, name, version, Set.of());
        }

        static VexStatus useCase(int n, String vuln, ProductIdentity product) throws Exception {
            return effective(List.of(load(vex("cyclonedx-vex/Use-Cases/Case-" + n + "/vex.json"))), vuln, product);
        }

        static ProductIdentity inBom(int useCase, String bom, String ref, String version) throws Exception {
            var root = dev.gatehouse.io.UntrustedJson.parse(Files.readAllBytes(vex("cyclonedx-vex/Use-Cases/Case-" + useCase + "/" + bom)), "t");
            return new ProductIdentity(null, Set.of(), BomLink.of(root.path("serialNumber").asText(), root.path("version").asInt(1), ref).orElseThrow(),
                    root.path("metadata").path("component").path("name").asText(), version, Set.of());
        }

        @Test
        void useCasesGiveTheirDocumentedReading() throws Exception {
            String cve = "CVE-2020-25649";
            assertThat(useCase(1, cve, named("Acme Product", "2.4.0"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(1, cve, named("Acme Product", "2.5.0"))).isNull();
            assertThat(useCase(2, cve, named("Acme Product", "2.4.0"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(useCase(3, cve, named("Acme Product", "2.4.0"))).isEqualTo(VexStatus.UNDER_INVESTIGATION);
            assertThat(useCase(4, cve, named("Acme Product", "2.3.0"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(4, cve, named("Acme Product", "2.4.0"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(4, cve, named("Acme Product", "2.5.0"))).isNull();
            assertThat(useCase(4, cve, named("Acme Product", "2.1.9"))).isNull();
            assertThat(useCase(5, cve, named("Acme Product", "7.0.0"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(5, cve, named("Acme Product", "1.4.9"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(5, cve, named("Acme Product", "1.5.0"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(useCase(5, cve, named("Acme Product", "6.9.9"))).isEqualTo(VexStatus.AFFECTED);
            for (String v : List.of("2.0.0", "2.7.0", "3.1.0", "4.1.0", "5.9.0")) {
                assertThat(useCase(8, cve, named("Acme Product", v))).as(v).isEqualTo(VexStatus.NOT_AFFECTED);
            }
            for (String v : List.of("1.9.0", "2.8.0", "3.5.0", "5.0.0")) {
                assertThat(useCase(8, cve, named("Acme Product", v))).as(v).isNull();
            }
            for (String v : List.of("2.2.0", "2.3.0", "2.4.0")) {
                assertThat(useCase(10, cve, named("Acme Product", v))).as(v).isNotNull();
            }
            assertThat(useCase(13, cve, inBom(13, "bom-1.json", "acme-product-1", null))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(13, cve, inBom(13, "bom-2.json", "acme-product-2", null))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(useCase(13, cve, inBom(13, "bom-3.json", "acme-product-3", null))).isEqualTo(VexStatus.AFFECTED);
            for (String bom : List.of("bom-1.json", "bom-2.json", "bom-3.json")) {
                assertThat(useCase(6, cve, inBom(6, bom, "acme-product-" + bom.charAt(4), null))).as(bom).isEqualTo(VexStatus.NOT_AFFECTED);
            }
        }

        @Test
        void useCase7WithoutProductIsParsedButAppliesToNothing() throws Exception {
            VexDocument d = load(vex("cyclonedx-vex/Use-Cases/Case-7/vex.json"));
            assertThat(d.statements()).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(VexStatus.NOT_AFFECTED);
                assertThat(s.applicable()).isFalse();
            });
        }

        @Test
        void multiVulnerabilityUseCasesKeepEachStatus() throws Exception {
            VexDocument c12 = load(vex("cyclonedx-vex/Use-Cases/Case-12/vex.json"));
            List<String> seen = new ArrayList<>();
            c12.statements().forEach(s -> seen.add(s.vulnerability() + "=" + s.status().label()));
            assertThat(seen).contains("CVE-2020-25649=not_affected", "CVE-2020-14195=not_affected", "CVE-2020-35491=affected");
            assertThat(load(vex("cyclonedx-vex/Use-Cases/Case-11/vex.json")).statements())
                    .hasSizeGreaterThan(1).allMatch(s -> s.status() == VexStatus.NOT_AFFECTED);
        }

        static VexStatus cisa(String file, String vuln, ProductIdentity product) throws Exception {
            return effective(List.of(load(vex("cyclonedx-vex/CISA-Use-Cases/" + file))), vuln, product);
        }

        static ProductIdentity cisaBom(int useCase, String bom, String ref, String version) throws Exception {
            var root = dev.gatehouse.io.UntrustedJson.parse(Files.readAllBytes(vex("cyclonedx-vex/CISA-Use-Cases/Case-" + useCase + "/" + bom)), "t");
            return new ProductIdentity(null, Set.of(), BomLink.of(root.path("serialNumber").asText(), root.path("version").asInt(1), ref).orElseThrow(),
                    root.path("metadata").path("component").path("name").asText(), version, Set.of());
        }

        @Test
        void cisaUseCasesGiveTheirDocumentedReading() throws Exception {
            String log4j = "CVE-2021-44228";
            assertThat(cisa("Case-1/vex-affected.json", log4j, named("DEF", "1.0"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-1/vex-fixed.json", log4j, named("DEF", "1.1"))).isEqualTo(VexStatus.FIXED);
            assertThat(cisa("Case-1/vex-not_affected.json", log4j, named("ABC", "4.2"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(cisa("Case-1/vex-under_investigation.json", log4j, named("GHI", "17.4"))).isEqualTo(VexStatus.UNDER_INVESTIGATION);
            assertThat(cisa("Case-2/vex.json", "CVE-2020-11901", named("ABC", "4.2"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(cisa("Case-3/vex.json", "CVE-2020-11897", named("GHI", "17.4"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(cisa("Case-3/vex.json", "CVE-2020-11898", named("GHI", "17.4"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-3/vex.json", "CVE-2020-11896", named("GHI", "17.4"))).isEqualTo(VexStatus.UNDER_INVESTIGATION);
            assertThat(cisa("Case-3/vex.json", "CVE-2020-11901", named("GHI", "17.4"))).isEqualTo(VexStatus.FIXED);
            assertThat(cisa("Case-4/vex.json", log4j, named("ABC", "2.4"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-4/vex.json", log4j, named("ABC", "3.0"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-4/vex.json", log4j, named("ABC", "2.5"))).isNull();
            assertThat(cisa("Case-5/vex.json", log4j, named("XYZ", "9.9"))).isEqualTo(VexStatus.UNDER_INVESTIGATION);
            assertThat(cisa("Case-6/vex.json", log4j, named("ABC", "2.5"))).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(cisa("Case-6/vex.json", log4j, named("ABC", "2.6"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-6/vex.json", log4j, named("ABC", "1.7"))).isEqualTo(VexStatus.NOT_AFFECTED);
            ProductIdentity jkl44 = cisaBom(7, "bom-2.json", "product-JKL", "4.4");
            ProductIdentity jkl47 = cisaBom(7, "bom-2.json", "product-JKL", "4.7");
            ProductIdentity jkl51 = cisaBom(7, "bom-2.json", "product-JKL", "5.1");
            ProductIdentity abc26 = cisaBom(7, "bom-1.json", "product-ABC", "2.6");
            assertThat(cisa("Case-7/vex.json", log4j, jkl44)).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(cisa("Case-7/vex.json", log4j, jkl47)).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-7/vex.json", log4j, jkl51)).isEqualTo(VexStatus.FIXED);
            assertThat(cisa("Case-7/vex.json", log4j, abc26)).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-8/vex.json", "CVE-2021-45105", cisaBom(8, "bom-2.json", "product-JKL", "5.1"))).isEqualTo(VexStatus.AFFECTED);
            assertThat(cisa("Case-8/vex.json", "CVE-2021-45105", cisaBom(8, "bom-2.json", "product-JKL", "5.2"))).isIn(VexStatus.FIXED, VexStatus.NOT_AFFECTED);
        }
    }

    @Nested
    class Csaf {
        static VexStatus status(String file, String vuln, String productId) throws Exception {
            return effective(List.of(load(vex("csaf/examples/" + file))), vuln, ProductIdentity.ofIdentifier(productId));
        }

        @Test
        void useCaseOneExamplesHaveOneStatusEach() throws Exception {
            try (var files = Files.list(vex("csaf/examples"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    assertThat(load(f).statements()).as(f.toString()).isNotEmpty();
                }
            }
            assertThat(firstStatus("2022-evd-uc-01-a-001.json")).isEqualTo(VexStatus.AFFECTED);
            assertThat(firstStatus("2022-evd-uc-01-f-001.json")).isEqualTo(VexStatus.FIXED);
            assertThat(firstStatus("2022-evd-uc-01-na-001.json")).isEqualTo(VexStatus.NOT_AFFECTED);
            assertThat(firstStatus("2022-evd-uc-01-ui-001.json")).isEqualTo(VexStatus.UNDER_INVESTIGATION);
            assertThat(load(vex("csaf/examples/2022-evd-uc-03-ms-001.json")).statements())
                    .extracting(VexStatement::status).contains(VexStatus.NOT_AFFECTED, VexStatus.AFFECTED);
            VexDocument secvisogram = load(vex("csaf/examples/sec-vex-2022-0001.json"));
            assertThat(secvisogram.statements()).allSatisfy(s -> {
                assertThat(s.status()).isEqualTo(VexStatus.NOT_AFFECTED);
                assertThat(s.justification()).isEqualTo("component_not_present");
                assertThat(s.applicable()).isTrue();
            });
        }

        static VexStatus firstStatus(String file) throws Exception {
            VexDocument d = load(vex("csaf/examples/" + file));
            assertThat(d.statements()).allMatch(s -> s.vulnerability().equals("CVE-2021-44228"));
            return d.statements().get(0).status();
        }

        @Test
        void mandatoryProfileTestsRejectOrDisableTheFailingExamples() throws Exception {
            Path dir = vex("csaf/validator-6.1.27");
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("oasis")).sorted().toList()) {
                    String name = f.getFileName().toString();
                    boolean valid = name.matches(".*-6-1-27-\\d\\d-1\\d\\.json");
                    boolean test9 = name.contains("-6-1-27-09-");
                    if (valid) {
                        assertThat(load(f).statements()).as(name).isNotEmpty().allMatch(VexStatement::applicable);
                    } else if (test9) {
                        assertThat(load(f).statements()).as(name).anyMatch(s -> !s.applicable() && s.defect().contains("6.1.27.9"));
                    } else if (name.contains("-6-1-27-10-")) {
                        assertThat(load(f).warnings()).as(name).anyMatch(w -> w.contains("6.1.27.10"));
                    } else {
                        assertThatThrownBy(() -> load(f)).as(name).isInstanceOf(MalformedInputException.class)
                                .hasMessageStartingWith("CSAF VEX at /");
                    }
                }
            }
        }
    }

    @Nested
    class ImageIndex {
        static final Digest INDEX = Digest.parse("sha256:eece025e432126ce23f223450a0326fbebde39cdf496a85d8c016293fc851978");
        static final Digest AMD64 = Digest.parse("sha256:48d9183eb12a05c99bcc0bf44a003607b8e941e1d4f41f9ad12bdcc4b5672f86");

        @Test
        void indexDigestCoversEveryPlatformAndPlatformDigestOnlyItself() throws Exception {
            Path file = Oracles.require("image-attestations/openvex-discovery/alpine-cves.openvex.json");
            Path index = Oracles.require("image-attestations/openvex-discovery/alpine-cves/index.json");
            List<VexDocument> docs = List.of(load(file));
            List<Digest> platforms = platformManifests(index);
            assertThat(platforms).contains(AMD64).hasSizeGreaterThan(1);
            for (Digest platform : platforms) {
                ProductIdentity image = ProductIdentity.ofImage("localhost:5000/alpine-cves", platform, INDEX);
                ProductIdentity libssl = purl("pkg:apk/alpine/libssl3@3.1.3-r0?arch=x86_64&distro=3.18.4");
                FindingContext context = FindingContext.inImage(libssl, image);
                assertThat(decide(docs, finding("CVE-2023-5363", "pkg:apk/alpine/libssl3@3.1.3-r0"), context).suppressed())
                        .as(platform.toString()).isTrue();
                assertThat(decide(docs, finding("CVE-2023-5678", "pkg:apk/alpine/libssl3@3.1.3-r0"), context).suppressed())
                        .as(platform.toString()).isEqualTo(platform.equals(AMD64));
            }
        }

        static List<Digest> platformManifests(Path indexJson) throws Exception {
            var root = dev.gatehouse.io.UntrustedJson.parse(Files.readAllBytes(indexJson), "OCI index");
            Path blobs = indexJson.resolveSibling("blobs").resolve("sha256");
            String top = root.path("manifests").get(0).path("digest").asText();
            var list = dev.gatehouse.io.UntrustedJson.parse(Files.readAllBytes(blobs.resolve(top.substring(7))), "index");
            List<Digest> out = new ArrayList<>();
            list.path("manifests").forEach(m -> out.add(Digest.parse(m.path("digest").asText())));
            return out;
        }
    }
}
