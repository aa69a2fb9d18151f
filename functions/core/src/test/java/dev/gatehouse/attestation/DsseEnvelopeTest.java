package dev.gatehouse.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DsseEnvelopeTest {

    @Test
    void preAuthenticationEncodingFollowsTheSpecification() {
        byte[] pae = DsseEnvelope.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void signaturesInUrlSafeBase64AreDecodedAndUndecodableOnesVerifyNothing() throws Exception {
        DsseEnvelope e = DsseEnvelope.parse(("{\"payloadType\":\"t\",\"payload\":\"aGk=\",\"signatures\":[{\"keyid\":\"k\",\"sig\":\"-_8=\"},"
                + "{\"sig\":\"***\"}]}").getBytes(StandardCharsets.UTF_8));
        assertThat(e.signatures().get(0).sig()).containsExactly(0xfb, 0xff);
        assertThat(e.signatures().get(1).sig()).isNull();
    }

    @Test
    void statementWithoutSubjectsArrayIsRejectedWithItsPointer() {
        assertThatThrownBy(() -> InTotoStatement.parse("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicateType\":\"x\",\"subject\":{}}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedInputException.class)
                .hasMessage("in-toto statement at /subject: missing or not an array");
    }

    @Test
    void trustedBuildersListRejectsAnUnknownLevel() {
        assertThatThrownBy(() -> TrustedBuilders.parse("{\"builders\":[{\"id\":\"https://x\",\"slsaLevel\":4}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("trusted builders list at /builders/0/slsaLevel: expected 0 to 3");
        assertThat(TrustedBuilders.defaults().trustedByDefault(ProvenanceFixtures.GENERATOR, TrustedBuilders.Context.ARTIFACT)).isTrue();
        assertThat(TrustedBuilders.defaults().trustedByDefault(ProvenanceFixtures.GENERATOR, TrustedBuilders.Context.IMAGE)).isFalse();
    }

    @Test
    void trustedBuildersOfTheWrongTypeAreErrorsNotBuildersThatMatchNothing() {
        assertThatThrownBy(() -> TrustedBuilders.parse("{\"builders\":[{\"id\":7,\"slsaLevel\":3}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("trusted builders list at /builders/0/id: expected a string, found number");
        assertThatThrownBy(() -> TrustedBuilders.parse("{\"builders\":[{\"id\":\"https://x\",\"slsaLevel\":1e999999}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("trusted builders list at /builders/0/slsaLevel: expected 0 to 3");
        assertThatThrownBy(() -> TrustedBuilders.parse("{\"builders\":[{\"id\":\"https://x\",\"slsaLevel\":3,\"buildTypes\":[]}]}".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("trusted builders list at /builders/0/buildTypes: expected an object, found array");
    }
}
