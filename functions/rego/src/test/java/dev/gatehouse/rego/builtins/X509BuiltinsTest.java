package dev.gatehouse.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.StringWriter;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class X509BuiltinsTest {

    /** 2030-01-01T00:00:00Z, inside every fixture's validity. */
    private static final long IN_VALIDITY_NS = 1_893_456_000L * 1_000_000_000L;

    private static String raw(String pem) {
        return "`" + pem + "`";
    }

    private static Value eval(String rules) throws Exception {
        return RegoSnippets.evalRule("package t\n\n" + rules, "p");
    }

    private static String chainPem(X509Fixtures.Issued... certs) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (X509Fixtures.Issued c : certs) {
            sb.append(c.pem());
        }
        return sb.toString();
    }

    @Test
    void verifiedChainIsReturnedLeafFirstWithGoCertificateFields() throws Exception {
        var root = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        var intermediate = X509Fixtures.issue(X509Fixtures.Spec.ca("intermediate"), root);
        var leaf = X509Fixtures.issue(X509Fixtures.Spec.leaf("leaf", KeyPurposeId.id_kp_serverAuth)
                .withSans(new GeneralName(GeneralName.dNSName, "svc.example.com"),
                        new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.com/ns/a")), intermediate);
        Value result = eval("""
                r := crypto.x509.parse_and_verify_certificates(%s)
                p := [r[0], [c.Subject.CommonName | some c in r[1]], r[1][0].DNSNames, r[1][0].URIStrings, r[1][0].ExtKeyUsage,
                	r[1][0].IsCA, r[1][1].IsCA, r[1][1].MaxPathLen, r[1][0].Version, r[1][0].PublicKeyAlgorithm, r[1][0].SignatureAlgorithm,
                	r[1][0].URIs[0].Host, r[1][0].URIs[0].Path]
                """.formatted(raw(chainPem(root, intermediate, leaf))));
        assertThat(result).isEqualTo(ValueJson.parse("""
                [true, ["leaf", "intermediate", "root"], ["svc.example.com"], ["spiffe://example.com/ns/a"], [1],
                 false, true, -1, 3, 3, 10, "example.com", "/ns/a"]
                """));
    }

    @Test
    void chainsThatGoWouldRefuseGiveFalseAndAnEmptyArray() throws Exception {
        var root = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        var notCa = X509Fixtures.issue(X509Fixtures.Spec.ca("not-a-ca").notCa(), root);
        var underNotCa = X509Fixtures.issue(X509Fixtures.Spec.leaf("leaf"), notCa);
        var expired = X509Fixtures.issue(X509Fixtures.Spec.leaf("old").validUntil(X509Fixtures.NOT_BEFORE.plusSeconds(60)), root);
        var clientOnly = X509Fixtures.issue(X509Fixtures.Spec.leaf("client", KeyPurposeId.id_kp_clientAuth), root);
        var otherRoot = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        var strangerLeaf = X509Fixtures.issue(X509Fixtures.Spec.leaf("stranger"), otherRoot);
        String refused = "[false, []]";
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates(" + raw(chainPem(root, notCa, underNotCa)) + ")"))
                .as("intermediate without CA basic constraints").isEqualTo(ValueJson.parse(refused));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates(" + raw(chainPem(root, expired)) + ")"))
                .as("expired leaf").isEqualTo(ValueJson.parse(refused));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates(" + raw(chainPem(root, clientOnly)) + ")"))
                .as("Go requires server auth when no key usage is asked for").isEqualTo(ValueJson.parse(refused));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates(" + raw(chainPem(root, strangerLeaf)) + ")"))
                .as("same issuer name, signed by another key").isEqualTo(ValueJson.parse(refused));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates(" + raw(chainPem(root)) + ")"))
                .as("a single certificate").isEqualTo(ValueJson.parse(refused));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates(\"not base64!\")"))
                .as("unparseable input").isEqualTo(ValueJson.parse(refused));
    }

    @Test
    void optionsSetTimeKeyUsagesAndHostname() throws Exception {
        var root = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        var expired = X509Fixtures.issue(X509Fixtures.Spec.leaf("old", KeyPurposeId.id_kp_clientAuth)
                .withSans(new GeneralName(GeneralName.dNSName, "*.example.com"))
                .validUntil(X509Fixtures.NOT_BEFORE.plusSeconds(3600)), root);
        String chain = raw(chainPem(root, expired));
        long insideValidity = (X509Fixtures.NOT_BEFORE.getEpochSecond() + 60) * 1_000_000_000L;
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates_with_options(%s, {\"CurrentTime\": %d, \"KeyUsages\": [\"KeyUsageClientAuth\"], \"DNSName\": \"api.example.com\"})[0]"
                .formatted(chain, insideValidity))).isEqualTo(ValueJson.parse("true"));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates_with_options(%s, {\"CurrentTime\": %d, \"KeyUsages\": [\"KeyUsageClientAuth\"], \"DNSName\": \"a.b.example.com\"})[0]"
                .formatted(chain, insideValidity))).as("a wildcard covers one label").isEqualTo(ValueJson.parse("false"));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates_with_options(%s, {\"CurrentTime\": %d})[0]"
                .formatted(chain, insideValidity))).as("server auth by default").isEqualTo(ValueJson.parse("false"));
        assertThat(eval("p := crypto.x509.parse_and_verify_certificates_with_options(%s, {\"CurrentTime\": %d, \"KeyUsages\": {\"KeyUsageAny\"}})"
                .formatted(chain, IN_VALIDITY_NS))).as("expired at that time").isEqualTo(ValueJson.parse("[false, []]"));
        Value withOptions = eval("p := crypto.x509.parse_and_verify_certificates_with_options(%s, {\"CurrentTime\": %d, \"KeyUsages\": [\"KeyUsageAny\"]})[1][0]"
                .formatted(chain, insideValidity));
        assertThat(ValueJson.write(withOptions)).as("OPA adds URIStrings only without options").doesNotContain("URIStrings");
    }

    @Test
    void badVerifyOptionsAreBuiltinErrors() throws Exception {
        var root = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        var leaf = X509Fixtures.issue(X509Fixtures.Spec.leaf("leaf"), root);
        String chain = raw(chainPem(root, leaf));
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_and_verify_certificates_with_options(" + chain + ", {\"Unknown\": 1})"))
                .isInstanceOf(RegoException.class).hasMessageContaining("eval_builtin_error")
                .hasMessageContaining("crypto.x509.parse_and_verify_certificates_with_options: invalid key option");
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_and_verify_certificates_with_options(" + chain + ", {\"KeyUsages\": [\"Nope\", \"KeyUsageAny\", \"Bad\"]})"))
                .isInstanceOf(RegoException.class).hasMessageContaining("invalid entries for 'KeyUsages' found: [Nope Bad]");
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_and_verify_certificates_with_options(" + chain + ", {\"CurrentTime\": 1.5})"))
                .isInstanceOf(RegoException.class).hasMessageContaining("'CurrentTime' should be a valid int64 number");
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_and_verify_certificates_with_options(" + chain + ", {\"DNSName\": 1})"))
                .isInstanceOf(RegoException.class).hasMessageContaining("'DNSName' should be a string");
    }

    @Test
    void parseCertificatesReturnsGoFieldsIncludingKeyUsageBitsAndSerial() throws Exception {
        var root = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        String der = Base64.getEncoder().encodeToString(root.cert().getEncoded());
        Value result = eval("""
                c := crypto.x509.parse_certificates("%s")[0]
                p := [c.KeyUsage, c.BasicConstraintsValid, c.IsCA, c.MaxPathLen, c.Subject.Organization, c.Subject.Names[0].Type,
                	c.Issuer.CommonName, c.SerialNumber == %s, c.NotAfter, c.ExtKeyUsage, c.PublicKey.Curve]
                """.formatted(der, root.cert().getSerialNumber()));
        assertThat(result).isEqualTo(ValueJson.parse("""
                [96, true, true, -1, ["Gatehouse Test"], [2, 5, 4, 3], "root", true, "2035-01-01T00:00:00Z", null, {}]
                """));
    }

    @Test
    void certificateRequestIsReturnedInGoCertificateRequestShape() throws Exception {
        var key = X509Fixtures.ecKey();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "svc.example.com"),
                new GeneralName(GeneralName.iPAddress, "10.0.0.7"),
                new GeneralName(GeneralName.iPAddress, "2001:db8::1"),
                new GeneralName(GeneralName.rfc822Name, "ops@example.com"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "https://example.com/x?y=1")}));
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=svc,O=Gatehouse,C=DE"), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(csr);
        }
        var ecKey = (java.security.interfaces.ECPublicKey) key.getPublic();
        Value result = eval("""
                c := crypto.x509.parse_certificate_request(%s)
                p := [c.Subject.CommonName, c.Subject.Country, c.DNSNames, c.IPAddresses, c.EmailAddresses, c.URIs[0].Host,
                	c.URIs[0].RawQuery, c.Version, c.SignatureAlgorithm, c.PublicKeyAlgorithm, c.PublicKey.X == %s, c.PublicKey.Y == %s,
                	c.Extensions[0].Id, c.Attributes[0].Type, c.ExtraExtensions]
                """.formatted(raw(pem.toString()), ecKey.getW().getAffineX(), ecKey.getW().getAffineY()));
        assertThat(result).isEqualTo(ValueJson.parse("""
                ["svc", ["DE"], ["svc.example.com"], ["10.0.0.7", "2001:db8::1"], ["ops@example.com"], "example.com",
                 "y=1", 0, 10, 3, true, true, [2, 5, 29, 17], [1, 2, 840, 113549, 1, 9, 14], null]
                """));
        String base64Der = Base64.getEncoder().encodeToString(csr.getEncoded());
        assertThat(eval("p := crypto.x509.parse_certificate_request(\"" + base64Der + "\").Subject.CommonName"))
                .as("base64 DER as well").isEqualTo(ValueJson.parse("\"svc\""));
    }

    @Test
    void unreadableCertificateRequestsAreBuiltinErrors() throws Exception {
        var root = X509Fixtures.selfSigned(X509Fixtures.Spec.ca("root"));
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_certificate_request(\"foobar\")"))
                .isInstanceOf(RegoException.class).hasMessageContaining("eval_builtin_error")
                .hasMessageContaining("illegal base64 data at input byte 4");
        String certPemAsBase64 = Base64.getEncoder().encodeToString(root.pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_certificate_request(\"" + certPemAsBase64 + "\")"))
                .isInstanceOf(RegoException.class).hasMessageContaining("invalid PEM-encoded certificate signing request");
        assertThatThrownBy(() -> eval("p := crypto.x509.parse_certificate_request(\"" + Base64.getEncoder().encodeToString(new byte[] {0x30, 0x03, 1, 1, 1}) + "\")"))
                .isInstanceOf(RegoException.class).hasMessageContaining("crypto.x509.parse_certificate_request: asn1:");
    }
}
