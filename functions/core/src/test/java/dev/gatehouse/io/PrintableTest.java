package dev.gatehouse.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String text = "OCI image index at /manifests/0: invalid media type 'x'";
        assertSame(text, Printable.oneLine(text));
    }

    @Test
    void lineBreaksAndControlCharactersAreEscaped() {
        assertEquals("a\\nb\\rc\\td\\u0000e\\u2028f", Printable.oneLine("a\nb\rc\td\u0000e\u2028f"));
    }

    @Test
    void malformedInputMessagesQuotingANewlineStayOneLine() {
        MalformedInputException e = new MalformedInputException("OCI image index", "/manifests/1/mediaType",
                "invalid media type 'applicati\n/vnd.oci.image.manifest.v1+json'");
        assertEquals("OCI image index at /manifests/1/mediaType: invalid media type 'applicati\\n/vnd.oci.image.manifest.v1+json'",
                e.getMessage());
    }

    @Test
    void aBoundedLineIsEscapedAndCutToItsLength() {
        assertEquals("a\\nb", Printable.oneLine("  a\nb\n", 10));
        assertEquals("0123456...", Printable.oneLine("0123456789abcdef", 10));
        assertEquals("x\\u0000...", Printable.oneLine("x\u0000\u0000\u0000", 10));
        assertEquals(10, Printable.oneLine("\u0001".repeat(1_000_000), 10).length());
        assertEquals("", Printable.oneLine(null, 10));
    }

    @Test
    void aBoundedLineNeverEndsInHalfASurrogatePair() {
        String cut = Printable.oneLine("123456\uD83D\uDE00789", 10);
        assertEquals("123456...", cut);
    }
}
