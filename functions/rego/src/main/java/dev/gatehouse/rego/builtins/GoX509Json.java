package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.io.IOException;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNumericString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERT61String;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DSAParameter;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;

/**
 * Go's encoding/json rendering of crypto/x509 and crypto/x509/pkix values, the shape OPA's x509
 * builtins return: byte slices as base64, OIDs as integer arrays, nil slices as null, times in
 * RFC 3339, enums as Go's integer constants.
 */
final class GoX509Json {

    static final ASN1ObjectIdentifier SUBJECT_ALT_NAME = Extension.subjectAlternativeName;

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    /** Go's x509.SignatureAlgorithm constants by OID. */
    private static final Map<String, Integer> SIGNATURE_ALGORITHMS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.2", 1), Map.entry("1.2.840.113549.1.1.4", 2), Map.entry("1.2.840.113549.1.1.5", 3),
            Map.entry("1.2.840.113549.1.1.11", 4), Map.entry("1.2.840.113549.1.1.12", 5), Map.entry("1.2.840.113549.1.1.13", 6),
            Map.entry("1.2.840.10040.4.3", 7), Map.entry("2.16.840.1.101.3.4.3.2", 8), Map.entry("1.2.840.10045.4.1", 9),
            Map.entry("1.2.840.10045.4.3.2", 10), Map.entry("1.2.840.10045.4.3.3", 11), Map.entry("1.2.840.10045.4.3.4", 12),
            Map.entry("1.3.101.112", 16));

    static final int RSA = 1;
    static final int DSA = 2;
    static final int ECDSA = 3;
    static final int ED25519 = 4;

    private GoX509Json() {
    }

    static Value bytes(byte[] b) {
        return b == null ? NullValue.NULL : StringValue.of(Base64.getEncoder().encodeToString(b));
    }

    static Value oid(ASN1ObjectIdentifier id) {
        List<Value> parts = new ArrayList<>();
        for (String p : id.getId().split("\\.")) {
            parts.add(NumberValue.of(new BigInteger(p)));
        }
        return ArrayValue.of(parts);
    }

    static Value time(Date d) {
        return StringValue.of(RFC3339.format(d.toInstant().atZone(ZoneOffset.UTC)));
    }

    /** A Go slice: null when empty (nil), else an array. */
    static Value slice(List<? extends Value> values) {
        return values == null || values.isEmpty() ? NullValue.NULL : ArrayValue.of(values);
    }

    static Value strings(List<String> values) {
        return slice(values == null ? null : values.stream().map(StringValue::of).toList());
    }

    static int signatureAlgorithm(AlgorithmIdentifier ai) {
        String id = ai.getAlgorithm().getId();
        if (id.equals("1.2.840.113549.1.1.10")) {
            try {
                String hash = RSASSAPSSparams.getInstance(ai.getParameters()).getHashAlgorithm().getAlgorithm().getId();
                return switch (hash) {
                    case "2.16.840.1.101.3.4.2.1" -> 13;
                    case "2.16.840.1.101.3.4.2.2" -> 14;
                    case "2.16.840.1.101.3.4.2.3" -> 15;
                    default -> 0;
                };
            } catch (RuntimeException e) {
                return 0;
            }
        }
        return SIGNATURE_ALGORITHMS.getOrDefault(id, 0);
    }

    static int publicKeyAlgorithm(SubjectPublicKeyInfo spki) {
        return switch (spki.getAlgorithm().getAlgorithm().getId()) {
            case "1.2.840.113549.1.1.1" -> RSA;
            case "1.2.840.10040.4.1" -> DSA;
            case "1.2.840.10045.2.1" -> ECDSA;
            case "1.3.101.112" -> ED25519;
            default -> 0;
        };
    }

    /** Go's parsePublicKey result as JSON: rsa/ecdsa/dsa structs, ed25519 bytes. */
    static Value publicKey(SubjectPublicKeyInfo spki) throws BuiltinException {
        try {
            byte[] key = spki.getPublicKeyData().getOctets();
            return switch (publicKeyAlgorithm(spki)) {
                case RSA -> {
                    org.bouncycastle.asn1.pkcs.RSAPublicKey k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(key);
                    yield ObjectValue.builder().put("N", NumberValue.of(k.getModulus())).put("E", NumberValue.of(k.getPublicExponent())).build();
                }
                case ECDSA -> {
                    ASN1Encodable params = spki.getAlgorithm().getParameters();
                    X9ECParameters curve = params instanceof ASN1ObjectIdentifier named && goCurve(named) ? ECNamedCurveTable.getByOID(named) : null;
                    if (curve == null) {
                        throw BuiltinException.error("x509: unsupported elliptic curve");
                    }
                    org.bouncycastle.math.ec.ECPoint p = curve.getCurve().decodePoint(key).normalize();
                    yield ObjectValue.builder().put("Curve", ObjectValue.EMPTY)
                            .put("X", NumberValue.of(p.getAffineXCoord().toBigInteger()))
                            .put("Y", NumberValue.of(p.getAffineYCoord().toBigInteger())).build();
                }
                case ED25519 -> bytes(key);
                case DSA -> {
                    DSAParameter p = DSAParameter.getInstance(spki.getAlgorithm().getParameters());
                    BigInteger y = ASN1Integer.getInstance(key).getValue();
                    yield ObjectValue.builder().put("Parameters", ObjectValue.builder().put("P", NumberValue.of(p.getP()))
                            .put("Q", NumberValue.of(p.getQ())).put("G", NumberValue.of(p.getG())).build())
                            .put("Y", NumberValue.of(y)).build();
                }
                default -> NullValue.NULL;
            };
        } catch (RuntimeException e) {
            throw BuiltinException.error("x509: invalid public key");
        }
    }

    /** The curves Go's crypto/x509 parses: P-224, P-256, P-384, P-521. */
    private static boolean goCurve(ASN1ObjectIdentifier id) {
        return switch (id.getId()) {
            case "1.3.132.0.33", "1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35" -> true;
            default -> false;
        };
    }

    /** A pkix.Name filled from its RDN sequence as Go's FillFromRDNSequence does. */
    static Value name(X500Name name) {
        List<List<Value>> multi = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            multi.add(new ArrayList<>());
        }
        String commonName = "";
        String serialNumber = "";
        List<Value> names = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                Value v = any(atv.getValue().toASN1Primitive());
                names.add(ObjectValue.builder().put("Type", oid(atv.getType())).put("Value", v).build());
                if (!(v instanceof StringValue s)) {
                    continue;
                }
                String id = atv.getType().getId();
                if (!id.startsWith("2.5.4.") || id.indexOf('.', 6) >= 0) {
                    continue;
                }
                switch (id.substring(6)) {
                    case "3" -> commonName = s.value();
                    case "5" -> serialNumber = s.value();
                    case "6" -> multi.get(0).add(s);
                    case "10" -> multi.get(1).add(s);
                    case "11" -> multi.get(2).add(s);
                    case "7" -> multi.get(3).add(s);
                    case "8" -> multi.get(4).add(s);
                    case "9" -> multi.get(5).add(s);
                    case "17" -> multi.get(6).add(s);
                    default -> { }
                }
            }
        }
        return ObjectValue.builder()
                .put("Country", slice(multi.get(0)))
                .put("Organization", slice(multi.get(1)))
                .put("OrganizationalUnit", slice(multi.get(2)))
                .put("Locality", slice(multi.get(3)))
                .put("Province", slice(multi.get(4)))
                .put("StreetAddress", slice(multi.get(5)))
                .put("PostalCode", slice(multi.get(6)))
                .put("SerialNumber", StringValue.of(serialNumber))
                .put("CommonName", StringValue.of(commonName))
                .put("Names", slice(names))
                .put("ExtraNames", NullValue.NULL)
                .build();
    }

    /** What Go's encoding/asn1 puts in an {@code any}: the universal primitive types it knows, else nil. */
    static Value any(ASN1Primitive p) {
        if (p instanceof DERPrintableString || p instanceof DERIA5String || p instanceof DERUTF8String || p instanceof DERT61String
                || p instanceof DERNumericString || p instanceof DERBMPString) {
            return StringValue.of(((org.bouncycastle.asn1.ASN1String) p).getString());
        }
        if (p instanceof ASN1Integer i) {
            return NumberValue.of(i.getValue());
        }
        if (p instanceof ASN1BitString b) {
            return ObjectValue.builder().put("Bytes", bytes(b.getBytes()))
                    .put("BitLength", NumberValue.of(b.getBytes().length * 8L - b.getPadBits())).build();
        }
        if (p instanceof ASN1ObjectIdentifier id) {
            return oid(id);
        }
        try {
            if (p instanceof ASN1UTCTime t) {
                return time(t.getAdjustedDate());
            }
            if (p instanceof ASN1GeneralizedTime t) {
                return time(t.getDate());
            }
        } catch (java.text.ParseException e) {
            return NullValue.NULL;
        }
        if (p instanceof ASN1OctetString o) {
            return bytes(o.getOctets());
        }
        return NullValue.NULL;
    }

    static Value extension(Extension e) {
        return ObjectValue.builder().put("Id", oid(e.getExtnId())).put("Critical", BooleanValue.of(e.isCritical()))
                .put("Value", bytes(e.getExtnValue().getOctets())).build();
    }

    /** The names of a SubjectAltName extension as Go sorts them into its fields. */
    record SubjectAltNames(List<String> dns, List<String> emails, List<byte[]> ips, List<String> uris) {

        static SubjectAltNames parse(byte[] extensionValue) throws BuiltinException {
            List<String> dns = new ArrayList<>();
            List<String> emails = new ArrayList<>();
            List<byte[]> ips = new ArrayList<>();
            List<String> uris = new ArrayList<>();
            try {
                for (ASN1Encodable e : ASN1Sequence.getInstance(extensionValue)) {
                    GeneralName g = GeneralName.getInstance(e);
                    switch (g.getTagNo()) {
                        case GeneralName.rfc822Name -> emails.add(text(g));
                        case GeneralName.dNSName -> dns.add(text(g));
                        case GeneralName.uniformResourceIdentifier -> uris.add(text(g));
                        case GeneralName.iPAddress -> {
                            byte[] ip = ASN1OctetString.getInstance(g.getName()).getOctets();
                            if (ip.length != 4 && ip.length != 16) {
                                throw BuiltinException.error("x509: cannot parse IP address of length " + ip.length);
                            }
                            ips.add(ip);
                        }
                        default -> { }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("x509: malformed subject alternative names");
            }
            return new SubjectAltNames(dns, emails, ips, uris);
        }

        private static String text(GeneralName g) {
            return ((org.bouncycastle.asn1.ASN1String) g.getName()).getString();
        }

        Value ipValues() {
            return slice(ips.stream().map(GoX509Json::ip).toList());
        }

        Value uriValues() throws BuiltinException {
            List<Value> out = new ArrayList<>();
            for (String u : uris) {
                out.add(GoUrlJson.of(u));
            }
            return slice(out);
        }
    }

    /** net.IP as text: dotted quad for IPv4 (and IPv4-mapped IPv6), RFC 5952 for IPv6, "?" for other lengths. */
    static Value ip(byte[] ip) {
        if (ip.length != 4 && ip.length != 16) {
            return StringValue.of("?");
        }
        return StringValue.of(NetBuiltins.address(new BigInteger(1, ip), ip.length * 8));
    }

    static byte[] der(ASN1Encodable e) throws BuiltinException {
        try {
            return e.toASN1Primitive().getEncoded("DER");
        } catch (IOException ex) {
            throw BuiltinException.error("x509: malformed certificate");
        }
    }
}
