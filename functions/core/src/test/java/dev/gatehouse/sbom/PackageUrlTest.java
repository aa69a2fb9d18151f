package dev.gatehouse.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PackageUrlTest {

    @Test
    void parsesAllParts() {
        PackageUrl p = PackageUrl.parse("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12#sub/dir");
        assertThat(p.type()).isEqualTo("deb");
        assertThat(p.namespace()).isEqualTo("debian");
        assertThat(p.name()).isEqualTo("openssl");
        assertThat(p.version()).isEqualTo("3.0.11-1~deb12u2");
        assertThat(p.qualifiers()).containsEntry("arch", "amd64").containsEntry("distro", "debian-12");
        assertThat(p.subpath()).isEqualTo("sub/dir");
    }

    @Test
    void decodesOciDigestVersionAndNpmScope() {
        PackageUrl oci = PackageUrl.parse("pkg:oci/alpine-cves@sha256%3Aeece025e?repository_url=localhost:5000/alpine-cves");
        assertThat(oci.version()).isEqualTo("sha256:eece025e");
        assertThat(oci.qualifiers()).containsEntry("repository_url", "localhost:5000/alpine-cves");
        PackageUrl npm = PackageUrl.parse("pkg:npm/%40angular/core@16.0.0");
        assertThat(npm.namespace()).isEqualTo("@angular");
        assertThat(npm.name()).isEqualTo("core");
        assertThat(PackageUrl.parse("pkg:npm/@angular/core@16.0.0")).isEqualTo(npm);
    }

    @Test
    void canonicalFormRoundTrips() {
        String canonical = "pkg:oci/alpine@sha256%3Aabc?arch=amd64&tag=latest";
        assertThat(PackageUrl.parse(canonical).toString()).isEqualTo(canonical);
        assertThat(PackageUrl.parse(PackageUrl.parse("pkg:npm/%40angular/core@16.0.0").toString()))
                .isEqualTo(PackageUrl.parse("pkg:npm/@angular/core@16.0.0"));
    }

    @Test
    void versionlessProductWithQualifierSubsetCoversComponent() {
        PackageUrl product = PackageUrl.parse("pkg:apk/alpine/openssl?arch=x86_64");
        assertThat(product.covers(PackageUrl.parse("pkg:apk/alpine/openssl@3.1.4-r0?arch=x86_64&distro=alpine-3.18"))).isTrue();
        assertThat(product.covers(PackageUrl.parse("pkg:apk/alpine/openssl@3.1.4-r0?arch=aarch64"))).isFalse();
        assertThat(product.covers(PackageUrl.parse("pkg:apk/alpine/libssl3@3.1.4-r0?arch=x86_64"))).isFalse();
        assertThat(PackageUrl.parse("pkg:apk/alpine/openssl@3.1.4-r0")
                .covers(PackageUrl.parse("pkg:apk/alpine/openssl@3.1.5-r0"))).isFalse();
    }

    @Test
    void pypiNamesAreNormalised() {
        assertThat(PackageUrl.parse("pkg:pypi/Django_Rest@1.0").name()).isEqualTo("django-rest");
    }

    @Test
    void rejectsMalformedPurls() {
        assertThatThrownBy(() -> PackageUrl.parse("npm/foo@1")).hasMessageContaining("pkg:");
        assertThatThrownBy(() -> PackageUrl.parse("pkg:npm")).hasMessageContaining("type/name");
        assertThatThrownBy(() -> PackageUrl.parse("pkg:npm/foo%2")).hasMessageContaining("percent");
        assertThatThrownBy(() -> PackageUrl.parse("pkg:npm/foo?bad")).hasMessageContaining("key=value");
    }
}
