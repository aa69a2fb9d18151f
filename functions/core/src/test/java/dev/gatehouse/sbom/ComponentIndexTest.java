package dev.gatehouse.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentIndexTest {

    private static Component component(String ref, String purl) {
        PackageUrl p = PackageUrl.parse(purl);
        return new Component(ref, p.name(), p.version(), p, "library", ComponentKind.OS_PACKAGE,
                List.of(), null, Map.of(), List.of());
    }

    private static Inventory inventory(Component... components) {
        return new Inventory(SbomFormat.CYCLONEDX, "1.6", null, null, List.of(components), List.of(), List.of(),
                InventoryFacts.NONE, List.of());
    }

    @Test
    void versionlessPurlCoversEveryVersionOfThePackage() {
        Component a = component("a", "pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12");
        Component b = component("b", "pkg:deb/debian/openssl@3.0.13-1?arch=amd64&distro=debian-12");
        Component c = component("c", "pkg:deb/debian/zlib@1.2.13?arch=amd64");
        ComponentIndex index = ComponentIndex.of(inventory(a, b, c));
        assertThat(index.coveredBy(PackageUrl.parse("pkg:deb/debian/openssl"))).containsExactly(a, b);
        assertThat(index.coveredBy(PackageUrl.parse("pkg:deb/debian/openssl@3.0.13-1"))).containsExactly(b);
        assertThat(index.coveredBy(PackageUrl.parse("pkg:deb/debian/openssl?arch=arm64"))).isEmpty();
        assertThat(index.coveredBy(PackageUrl.parse("pkg:npm/openssl"))).isEmpty();
    }

    @Test
    void looksUpByRef() {
        Component a = component("a", "pkg:apk/alpine/busybox@1.36.1-r28");
        ComponentIndex index = ComponentIndex.of(inventory(a));
        assertThat(index.byRef("a")).contains(a);
        assertThat(index.byRef("z")).isEmpty();
    }
}
