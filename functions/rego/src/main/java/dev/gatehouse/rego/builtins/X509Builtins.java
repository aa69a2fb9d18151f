package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;

/**
 * OPA's crypto.x509 certificate builtins with Go's x509 JSON shapes: parse_certificates,
 * parse_and_verify_certificates(_with_options) (Go's chain verification, see
 * {@link GoChainVerifier}) and parse_certificate_request.
 */
final class X509Builtins {

    /** The KeyUsages option names OPA maps to Go's x509.ExtKeyUsage constants. */
    private static final Map<String, Integer> KEY_USAGE_OPTIONS = Map.ofEntries(
            Map.entry("KeyUsageAny", 0), Map.entry("KeyUsageServerAuth", 1), Map.entry("KeyUsageClientAuth", 2),
            Map.entry("KeyUsageCodeSigning", 3), Map.entry("KeyUsageEmailProtection", 4), Map.entry("KeyUsageIPSECEndSystem", 5),
            Map.entry("KeyUsageIPSECTunnel", 6), Map.entry("KeyUsageIPSECUser", 7), Map.entry("KeyUsageTimeStamping", 8),
            Map.entry("KeyUsageOCSPSigning", 9), Map.entry("KeyUsageMicrosoftServerGatedCrypto", 10),
            Map.entry("KeyUsageNetscapeServerGatedCrypto", 11), Map.entry("KeyUsageMicrosoftCommercialCodeSigning", 12),
            Map.entry("KeyUsageMicrosoftKernelCodeSigning", 13));

    private static final BigDecimal INT64_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal INT64_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private X509Builtins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("crypto.x509.parse_certificates", 1, (a, c) -> {
            List<GoCertificate> certs = GoCertificate.parseAll(Operands.string(a, 0));
            c.charge(certs.size());
            return GoCertificate.toJsonArray(certs, true);
        });
        r.register("crypto.x509.parse_and_verify_certificates", 1, (a, c) ->
                verified(Operands.string(a, 0), null, c, true));
        r.register("crypto.x509.parse_and_verify_certificates_with_options", 2, (a, c) ->
                verified(Operands.string(a, 0), Operands.object(a, 1), c, false));
        r.register("crypto.x509.parse_certificate_request", 1, (a, c) -> certificateRequest(Operands.string(a, 0)));
    }

    /** [true, chain] with the chain leaf first, or [false, []] when the input does not parse or verify. */
    private static Value verified(String input, ObjectValue options, BuiltinContext c, boolean withUriStrings) throws BuiltinException {
        List<GoCertificate> certs;
        try {
            certs = GoCertificate.parseAll(input);
        } catch (BuiltinException e) {
            return ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
        }
        GoChainVerifier.Options verifyOptions = options == null ? GoChainVerifier.Options.DEFAULT : verifyOptions(options);
        c.charge(certs.size() * (long) certs.size());
        Optional<List<GoCertificate>> chain = GoChainVerifier.verify(certs, verifyOptions);
        if (chain.isEmpty()) {
            return ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);
        }
        return ArrayValue.of(BooleanValue.TRUE, GoCertificate.toJsonArray(chain.get(), withUriStrings));
    }

    /** OPA's extractVerifyOpts: keys in sorted order, the first bad one is the error. */
    private static GoChainVerifier.Options verifyOptions(ObjectValue options) throws BuiltinException {
        String dnsName = "";
        Long currentTime = null;
        List<Integer> usages = new ArrayList<>();
        for (Value key : options.sortedKeys()) {
            if (!(key instanceof StringValue k)) {
                continue;
            }
            Value v = options.get(key);
            switch (k.value()) {
                case "DNSName" -> {
                    if (!(v instanceof StringValue s)) {
                        throw BuiltinException.error("'DNSName' should be a string");
                    }
                    dnsName = trimQuotes(s.value());
                }
                case "CurrentTime" -> {
                    if (!(v instanceof NumberValue n)) {
                        throw BuiltinException.error("'CurrentTime' should be a number");
                    }
                    if (!n.isInteger() || n.decimal().compareTo(INT64_MIN) < 0 || n.decimal().compareTo(INT64_MAX) > 0) {
                        throw BuiltinException.error("'CurrentTime' should be a valid int64 number");
                    }
                    currentTime = n.decimal().longValueExact();
                }
                case "MaxConstraintComparisons" -> {
                    if (!(v instanceof NumberValue n)) {
                        throw BuiltinException.error("'MaxConstraintComparisons' should be a number");
                    }
                    if (!n.isInteger() || n.decimal().compareTo(INT64_MIN) < 0 || n.decimal().compareTo(INT64_MAX) > 0) {
                        throw BuiltinException.error("'MaxConstraintComparisons' should be a valid number");
                    }
                }
                case "KeyUsages" -> {
                    List<Value> entries;
                    if (v instanceof ArrayValue arr) {
                        entries = arr.elements();
                    } else if (v instanceof SetValue set) {
                        entries = set.sorted();
                    } else {
                        throw BuiltinException.error("'KeyUsages' should be an Array or Set");
                    }
                    List<String> invalid = new ArrayList<>();
                    for (Value e : entries) {
                        if (e instanceof StringValue s) {
                            String name = trimQuotes(s.value());
                            Integer usage = KEY_USAGE_OPTIONS.get(name);
                            if (usage == null) {
                                invalid.add(name);
                            } else {
                                usages.add(usage);
                            }
                        }
                    }
                    if (!invalid.isEmpty()) {
                        throw BuiltinException.error("invalid entries for 'KeyUsages' found: [" + String.join(" ", invalid) + "]");
                    }
                }
                default -> throw BuiltinException.error("invalid key option");
            }
        }
        return new GoChainVerifier.Options(dnsName, currentTime, List.copyOf(usages));
    }

    /** Go's strings.Trim(s, "\""). */
    private static String trimQuotes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '"') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '"') {
            end--;
        }
        return s.substring(start, end);
    }

    /** Go's x509.ParseCertificateRequest over PEM, or base64 of PEM or DER, as JSON. */
    private static Value certificateRequest(String input) throws BuiltinException {
        byte[] bytes;
        if (input.startsWith("-----BEGIN CERTIFICATE REQUEST-----")) {
            bytes = input.getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = EncodingBuiltins.decode(input, false, true);
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) {
            List<Pem.Block> blocks = Pem.blocks(text);
            if (!blocks.isEmpty()) {
                if (!blocks.get(0).type().equals("CERTIFICATE REQUEST")) {
                    throw BuiltinException.error("invalid PEM-encoded certificate signing request");
                }
                bytes = blocks.get(0).der();
            }
        }
        CertificationRequest csr;
        try {
            ASN1Primitive p = ASN1Primitive.fromByteArray(bytes);
            csr = CertificationRequest.getInstance(p);
            if (csr == null || GoX509Json.der(csr).length != bytes.length) {
                throw new IllegalArgumentException("trailing data");
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw BuiltinException.error("asn1: structure error: malformed certificate request");
        }
        try {
            return requestJson(csr);
        } catch (RuntimeException e) {
            throw BuiltinException.error("x509: malformed certificate request");
        }
    }

    private static Value requestJson(CertificationRequest csr) throws BuiltinException {
        CertificationRequestInfo info = csr.getCertificationRequestInfo();
        int publicKeyAlgorithm = GoX509Json.publicKeyAlgorithm(info.getSubjectPublicKeyInfo());
        List<Value> attributes = new ArrayList<>();
        List<Value> extensions = new ArrayList<>();
        GoX509Json.SubjectAltNames sans = null;
        ASN1Set rawAttributes = info.getAttributes();
        if (rawAttributes != null) {
            for (ASN1Encodable e : rawAttributes) {
                Attribute attribute = Attribute.getInstance(e);
                Value parsed = attributeSet(attribute);
                if (parsed != null) {
                    attributes.add(parsed);
                }
                if (!attribute.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                    continue;
                }
                for (ASN1Encodable value : attribute.getAttrValues()) {
                    for (ASN1Encodable ext : ASN1Sequence.getInstance(value)) {
                        Extension extension = Extension.getInstance(ext);
                        extensions.add(GoX509Json.extension(extension));
                        if (extension.getExtnId().equals(GoX509Json.SUBJECT_ALT_NAME)) {
                            sans = GoX509Json.SubjectAltNames.parse(extension.getExtnValue().getOctets());
                        }
                    }
                }
            }
        }
        return ObjectValue.builder()
                .put("Raw", GoX509Json.bytes(GoX509Json.der(csr)))
                .put("RawTBSCertificateRequest", GoX509Json.bytes(GoX509Json.der(info)))
                .put("RawSubjectPublicKeyInfo", GoX509Json.bytes(GoX509Json.der(info.getSubjectPublicKeyInfo())))
                .put("RawSubject", GoX509Json.bytes(GoX509Json.der(info.getSubject())))
                .put("Version", NumberValue.of(info.getVersion().getValue()))
                .put("Signature", GoX509Json.bytes(csr.getSignature().getBytes()))
                .put("SignatureAlgorithm", NumberValue.of(GoX509Json.signatureAlgorithm(csr.getSignatureAlgorithm())))
                .put("PublicKeyAlgorithm", NumberValue.of(publicKeyAlgorithm))
                .put("PublicKey", GoX509Json.publicKey(info.getSubjectPublicKeyInfo()))
                .put("Subject", GoX509Json.name(info.getSubject()))
                .put("Attributes", GoX509Json.slice(attributes))
                .put("Extensions", GoX509Json.slice(extensions))
                .put("ExtraExtensions", NullValue.NULL)
                .put("DNSNames", sans == null ? NullValue.NULL : GoX509Json.strings(sans.dns()))
                .put("EmailAddresses", sans == null ? NullValue.NULL : GoX509Json.strings(sans.emails()))
                .put("IPAddresses", sans == null ? NullValue.NULL : sans.ipValues())
                .put("URIs", sans == null ? NullValue.NULL : sans.uriValues())
                .build();
    }

    /**
     * The attribute as Go's deprecated pkix.AttributeTypeAndValueSET: a SET of SEQUENCEs of
     * (type, value) pairs; attributes of any other form (challengePassword, ...) are left out.
     */
    private static Value attributeSet(Attribute attribute) {
        List<Value> sets = new ArrayList<>();
        for (ASN1Encodable member : attribute.getAttrValues()) {
            if (!(member.toASN1Primitive() instanceof ASN1Sequence seq)) {
                return null;
            }
            List<Value> pairs = new ArrayList<>();
            for (ASN1Encodable pair : seq) {
                if (!(pair.toASN1Primitive() instanceof ASN1Sequence tv) || tv.size() < 1
                        || !(tv.getObjectAt(0).toASN1Primitive() instanceof ASN1ObjectIdentifier type)) {
                    return null;
                }
                Value v = tv.size() > 1 ? GoX509Json.any(tv.getObjectAt(1).toASN1Primitive()) : NullValue.NULL;
                pairs.add(ObjectValue.builder().put("Type", GoX509Json.oid(type)).put("Value", v).build());
            }
            sets.add(GoX509Json.slice(pairs));
        }
        return ObjectValue.builder().put("Type", GoX509Json.oid(attribute.getAttrType())).put("Value", GoX509Json.slice(sets)).build();
    }
}
