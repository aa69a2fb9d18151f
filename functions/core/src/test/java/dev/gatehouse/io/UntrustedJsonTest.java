package dev.gatehouse.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UntrustedJsonTest {

    @Test
    void truncatedJsonNamesFormatAndPosition() {
        assertThatThrownBy(() -> UntrustedJson.parse("{\"a\": [1, 2", "Sigstore bundle"))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageStartingWith("Sigstore bundle at line 1");
    }

    @Test
    void errorsAreOneLineAndDoNotEchoTheDocument() {
        assertThatThrownBy(() -> UntrustedJson.parse("{\"a\": {\n\"secret\": \"s3cr3t\",\n\"b\": [1", "AdmissionReview"))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("s3cr3t")
                .hasMessageContaining("(start marker at line 3, column 6)");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> UntrustedJson.parse("{\"a\":1,\"a\":2}", "in-toto statement"))
                .hasMessageContaining("Duplicate field");
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "[".repeat(UntrustedJson.MAX_DEPTH + 5) + "]".repeat(UntrustedJson.MAX_DEPTH + 5);
        assertThatThrownBy(() -> UntrustedJson.parse(deep, "SBOM"))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageContaining("depth");
    }

    @Test
    void oversizeDocumentIsRejectedBeforeParsing() {
        assertThatThrownBy(() -> UntrustedJson.parse(new byte[100], "manifest", 10))
                .hasMessageContaining("exceeds the limit of 10 bytes");
    }

    @Test
    void trailingGarbageIsRejected() {
        assertThatThrownBy(() -> UntrustedJson.parse("{} {}", "event")).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void parsesObjects() throws Exception {
        assertThat(UntrustedJson.parseObject("{\"x\":1.5}".getBytes(), "doc").get("x").decimalValue())
                .isEqualByComparingTo("1.5");
    }
}
