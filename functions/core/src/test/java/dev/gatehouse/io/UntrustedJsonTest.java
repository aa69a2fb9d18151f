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
                .hasMessageContaining("nested deeper than 200 levels");
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

    @Test
    void limitViolationsNameThePlaceAndNoJavaNames() {
        String deep = "{\"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> UntrustedJson.parse(deep, "SBOM"))
                .hasMessage("SBOM at line 1, column 207: nested deeper than 200 levels");
        assertThatThrownBy(() -> UntrustedJson.parse("{\"n\": " + "9".repeat(5000) + "}", "scan report"))
                .hasMessageStartingWith("scan report at line 1, column ")
                .hasMessageEndingWith(": a number longer than 1000 digits");
    }

    @Test
    void secondDocumentIsNamedWithoutJavaNames() {
        assertThatThrownBy(() -> UntrustedJson.parse("{}\n{}", "event"))
                .hasMessage("event at line 2, column 1: content after the end of the document (start object)");
    }

    @Test
    void decodingErrorsOfYamlCarryNoExceptionClass() {
        assertThatThrownBy(() -> UntrustedYaml.parse(new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28}, "trust config", 100))
                .isInstanceOf(MalformedInputException.class)
                .hasMessageStartingWith("trust config")
                .hasMessageContaining("Invalid UTF-8")
                .hasMessageNotContaining("java.")
                .hasMessageNotContaining("byte #");
    }

    @Test
    void hugeQuotedValuesAreCutSoTheMessageStaysShort() {
        MalformedInputException e = new MalformedInputException("CycloneDX " + "A".repeat(20_000_000), "/specVersion", "unsupported");
        assertThat(e.getMessage()).hasSizeLessThan(1000).contains("AAA...").endsWith("/specVersion: unsupported");
    }

    @Test
    void directoriesAndMissingFilesAreNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThatThrownBy(() -> InputFiles.read(dir, "SBOM", 100))
                .hasMessage("SBOM at " + dir + ": is a directory, not a file");
        assertThatThrownBy(() -> InputFiles.read(dir.resolve("nope.json"), 100))
                .hasMessage(dir.resolve("nope.json") + ": no such file");
    }

    @Test
    void yamlErrorsKeepContextAndProblemButNotTheQuotedDocument() {
        assertThatThrownBy(() -> UntrustedYaml.parse("token: s3cr3t\nlist: [\n".getBytes(), "trust config", 100))
                .hasMessage("trust config at line 2, column 8: while parsing a flow node: expected the node content, but found '<stream end>'");
    }
}
