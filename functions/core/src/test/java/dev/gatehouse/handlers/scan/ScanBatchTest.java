package dev.gatehouse.handlers.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageEnumerator.ListedImage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanBatchTest {

    static final Digest DIGEST = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));

    @Test
    void messageRoundTrips() throws Exception {
        ScanBatch batch = new ScanBatch(ScanId.next(Instant.parse("2026-11-27T01:00:00Z")), 2, 5,
                List.of(new ListedImage("registry.example:5000", "team/app", DIGEST, List.of("v1", "latest"))));
        assertThat(ScanBatch.parse(batch.toJson())).isEqualTo(batch);
    }

    @Test
    void brokenMessagesAreRejectedNamingTheField() {
        String id = ScanId.next(Instant.now());
        String good = new ScanBatch(id, 0, 1, List.of(new ListedImage("r.example", "a", DIGEST, List.of("v1")))).toJson();
        assertThatThrownBy(() -> ScanBatch.parse(good.replace(DIGEST.hex(), "zz"))).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("scan batch message");
        assertThatThrownBy(() -> ScanBatch.parse(good.replace(id, "../../etc"))).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("invalid scan id");
        assertThatThrownBy(() -> ScanBatch.parse(good.replace("\"batch\":0", "\"batch\":7"))).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> ScanBatch.parse(good.replace("\"a\"", "\"A/../b\""))).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("/images/0");
        assertThatThrownBy(() -> ScanBatch.parse("[]")).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> ScanBatch.parse("{\"schema\":\"other\"}")).isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("/schema");
    }

    @Test
    void attachmentTagsAreCosignTagsAndReferrersFallbackTags() {
        String hex = DIGEST.hex();
        assertThat(AttachmentTags.isAttachment("sha256-" + hex + ".sig")).isTrue();
        assertThat(AttachmentTags.isAttachment("sha256-" + hex + ".att")).isTrue();
        assertThat(AttachmentTags.isAttachment("sha256-" + hex + ".sbom")).isTrue();
        assertThat(AttachmentTags.isAttachment("sha256-" + hex)).isTrue();
        assertThat(AttachmentTags.isAttachment("sha256-" + hex.substring(1) + ".sig")).isFalse();
        assertThat(AttachmentTags.isAttachment("v1.2.sig")).isFalse();
        assertThat(AttachmentTags.isAttachment("latest")).isFalse();
    }

    @Test
    void scanIdsSortByTimeAndRejectPathTricks() {
        String earlier = ScanId.next(Instant.parse("2026-11-26T23:59:59Z"));
        String later = ScanId.next(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(earlier).isLessThan(later);
        assertThatThrownBy(() -> ScanKeys.prefix("..")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ScanKeys.image(later, "127.0.0.1:5000", "team/app", DIGEST))
                .isEqualTo("reports/" + later + "/images/127.0.0.1_5000/team/app/sha256-" + DIGEST.hex() + ".json");
    }
}
