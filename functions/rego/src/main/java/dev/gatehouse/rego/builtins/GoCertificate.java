package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.TBSCertificate;

/**
 * A certificate read the way Go's crypto/x509 reads it, with the fields its verifier consults and
 * its JSON form (Go's x509.Certificate, as OPA returns it).
 */
final class GoCertificate {

    /** Go's x509.ExtKeyUsage constants by OID. */
    static final Map<String, Integer> EXT_KEY_USAGES = Map.ofEntries(
            Map.entry("2.5.29.37.0", 0), Map.entry("1.3.6.1.5.5.7.3.1", 1), Map.entry("1.3.6.1.5.5.7.3.2", 2),
            Map.entry("1.3.6.1.5.5.7.3.3", 3), Map.entry("1.3.6.1.5.5.7.3.4", 4), Map.entry("1.3.6.1.5.5.7.3.5", 5),
            Map.entry("1.3.6.1.5.5.7.3.6", 6), Map.entry("1.3.6.1.5.5.7.3.7", 7), Map.entry("1.3.6.1.5.5.7.3.8", 8),
            Map.entry("1.3.6.1.5.5.7.3.9", 9), Map.entry("1.3.6.1.4.1.311.10.3.3", 10), Map.entry("2.16.840.1.113730.4.1", 11),
            Map.entry("1.3.6.1.4.1.311.2.1.22", 12), Map.entry("1.3.6.1.4.1.311.61.1.1", 13));

    final Certificate asn1;
    final X509Certificate jdk;
    final byte[] raw;
    final byte[] rawSubject;
    final byte[] rawIssuer;
    final int version;
    final int signatureAlgorithm;
    final int publicKeyAlgorithm;
    final Value publicKeyJson;
    final Date notBefore;
    final Date notAfter;
    int keyUsage;
    boolean basicConstraintsValid;
    boolean isCA;
    int maxPathLen;
    byte[] subjectKeyId;
    byte[] authorityKeyId;
    final List<Integer> extKeyUsage = new ArrayList<>();
    final List<ASN1ObjectIdentifier> unknownExtKeyUsage = new ArrayList<>();
    final List<ASN1ObjectIdentifier> unhandledCritical = new ArrayList<>();
    GoX509Json.SubjectAltNames sans = new GoX509Json.SubjectAltNames(List.of(), List.of(), List.of(), List.of());
    byte[] sanExtension;
    final List<String> ocspServers = new ArrayList<>();
    final List<String> issuingCertificateUrls = new ArrayList<>();
    final List<String> crlDistributionPoints = new ArrayList<>();
    final List<ASN1ObjectIdentifier> policies = new ArrayList<>();
    boolean permittedDnsCritical;
    final NameLists permitted = new NameLists();
    final NameLists excluded = new NameLists();

    /** Name constraints of one kind (permitted or excluded). */
    static final class NameLists {
        final List<String> dns = new ArrayList<>();
        final List<byte[]> ipRanges = new ArrayList<>();
        final List<String> emails = new ArrayList<>();
        final List<String> uriDomains = new ArrayList<>();

        boolean isEmpty() {
            return dns.isEmpty() && ipRanges.isEmpty() && emails.isEmpty() && uriDomains.isEmpty();
        }
    }

    private GoCertificate(byte[] der) throws BuiltinException {
        try {
            this.raw = der;
            this.asn1 = Certificate.getInstance(der);
            this.jdk = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw malformed();
        }
        TBSCertificate tbs = asn1.getTBSCertificate();
        rawSubject = GoX509Json.der(tbs.getSubject());
        rawIssuer = GoX509Json.der(tbs.getIssuer());
        version = tbs.getVersionNumber();
        signatureAlgorithm = GoX509Json.signatureAlgorithm(asn1.getSignatureAlgorithm());
        publicKeyAlgorithm = GoX509Json.publicKeyAlgorithm(tbs.getSubjectPublicKeyInfo());
        publicKeyJson = GoX509Json.publicKey(tbs.getSubjectPublicKeyInfo());
        notBefore = tbs.getStartDate().getDate();
        notAfter = tbs.getEndDate().getDate();
        maxPathLen = 0;
        Extensions exts = tbs.getExtensions();
        if (exts != null) {
            for (ASN1ObjectIdentifier id : exts.getExtensionOIDs()) {
                readExtension(exts.getExtension(id));
            }
        }
    }

    private void readExtension(Extension e) throws BuiltinException {
        byte[] value = e.getExtnValue().getOctets();
        boolean handled = true;
        try {
            switch (e.getExtnId().getId()) {
                case "2.5.29.15" -> {
                    byte[] bits = org.bouncycastle.asn1.ASN1BitString.getInstance(value).getBytes();
                    int usage = 0;
                    for (int i = 0; i < 9; i++) {
                        if (i / 8 < bits.length && (bits[i / 8] & (0x80 >> (i % 8))) != 0) {
                            usage |= 1 << i;
                        }
                    }
                    keyUsage = usage;
                }
                case "2.5.29.19" -> {
                    BasicConstraints bc = BasicConstraints.getInstance(value);
                    basicConstraintsValid = true;
                    isCA = bc.isCA();
                    maxPathLen = bc.getPathLenConstraint() == null ? -1 : bc.getPathLenConstraint().intValueExact();
                }
                case "2.5.29.17" -> {
                    sans = GoX509Json.SubjectAltNames.parse(value);
                    sanExtension = value;
                    handled = !(sans.dns().isEmpty() && sans.emails().isEmpty() && sans.ips().isEmpty() && sans.uris().isEmpty());
                }
                case "2.5.29.30" -> readNameConstraints(e.isCritical(), NameConstraints.getInstance(value));
                case "2.5.29.37" -> {
                    for (ASN1Encodable k : ASN1Sequence.getInstance(value)) {
                        ASN1ObjectIdentifier id = KeyPurposeId.getInstance(k).toOID();
                        Integer known = EXT_KEY_USAGES.get(id.getId());
                        if (known != null) {
                            extKeyUsage.add(known);
                        } else {
                            unknownExtKeyUsage.add(id);
                        }
                    }
                }
                case "2.5.29.14" -> subjectKeyId = ASN1OctetString.getInstance(value).getOctets();
                case "2.5.29.35" -> authorityKeyId = AuthorityKeyIdentifier.getInstance(value).getKeyIdentifier();
                case "2.5.29.31" -> {
                    for (DistributionPoint dp : CRLDistPoint.getInstance(value).getDistributionPoints()) {
                        DistributionPointName n = dp.getDistributionPoint();
                        if (n != null && n.getType() == DistributionPointName.FULL_NAME) {
                            for (GeneralName g : GeneralNames.getInstance(n.getName()).getNames()) {
                                if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                                    crlDistributionPoints.add(g.getName().toString());
                                }
                            }
                        }
                    }
                }
                case "1.3.6.1.5.5.7.1.1" -> {
                    for (AccessDescription ad : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                        if (ad.getAccessLocation().getTagNo() != GeneralName.uniformResourceIdentifier) {
                            continue;
                        }
                        String uri = ad.getAccessLocation().getName().toString();
                        if (ad.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                            ocspServers.add(uri);
                        } else if (ad.getAccessMethod().equals(AccessDescription.id_ad_caIssuers)) {
                            issuingCertificateUrls.add(uri);
                        }
                    }
                }
                case "2.5.29.32" -> {
                    for (PolicyInformation pi : CertificatePolicies.getInstance(value).getPolicyInformation()) {
                        policies.add(pi.getPolicyIdentifier());
                    }
                }
                // Go handles policy constraints, policy mappings and inhibitAnyPolicy as well.
                case "2.5.29.36", "2.5.29.33", "2.5.29.54" -> { }
                default -> handled = false;
            }
        } catch (IllegalArgumentException | ArithmeticException | IllegalStateException ex) {
            throw malformed();
        }
        if (e.isCritical() && !handled) {
            unhandledCritical.add(e.getExtnId());
        }
    }

    private void readNameConstraints(boolean critical, NameConstraints nc) {
        permittedDnsCritical = critical;
        collect(nc.getPermittedSubtrees(), permitted);
        collect(nc.getExcludedSubtrees(), excluded);
    }

    private static void collect(GeneralSubtree[] subtrees, NameLists into) {
        if (subtrees == null) {
            return;
        }
        for (GeneralSubtree t : subtrees) {
            GeneralName g = t.getBase();
            switch (g.getTagNo()) {
                case GeneralName.dNSName -> into.dns.add(g.getName().toString());
                case GeneralName.rfc822Name -> into.emails.add(g.getName().toString());
                case GeneralName.uniformResourceIdentifier -> into.uriDomains.add(g.getName().toString());
                case GeneralName.iPAddress -> into.ipRanges.add(ASN1OctetString.getInstance(g.getName()).getOctets());
                default -> { }
            }
        }
    }

    private static BuiltinException malformed() {
        return BuiltinException.error("x509: malformed certificate");
    }

    PublicKey publicKey() {
        return jdk.getPublicKey();
    }

    /**
     * OPA's getX509CertsFromString: PEM (CERTIFICATE blocks only), or base64 of PEM or of
     * concatenated DER certificates.
     */
    static List<GoCertificate> parseAll(String input) throws BuiltinException {
        if (input.startsWith("-----BEGIN")) {
            return fromPem(input);
        }
        byte[] decoded = EncodingBuiltins.decode(input, false, true);
        if (startsWith(decoded, "-----BEGIN")) {
            return fromPem(new String(decoded, StandardCharsets.ISO_8859_1));
        }
        return fromDer(decoded);
    }

    private static boolean startsWith(byte[] b, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return b.length >= p.length && Arrays.equals(b, 0, p.length, p, 0, p.length);
    }

    private static List<GoCertificate> fromPem(String pem) throws BuiltinException {
        java.io.ByteArrayOutputStream der = new java.io.ByteArrayOutputStream();
        for (Pem.Block block : Pem.blocks(pem)) {
            if (!block.type().equals("CERTIFICATE")) {
                throw BuiltinException.error("PEM block type is '" + block.type() + "', expected CERTIFICATE");
            }
            der.writeBytes(block.der());
        }
        return fromDer(der.toByteArray());
    }

    /** Go's x509.ParseCertificates: DER certificates back to back. */
    static List<GoCertificate> fromDer(byte[] der) throws BuiltinException {
        List<GoCertificate> out = new ArrayList<>();
        try (ASN1InputStream in = new ASN1InputStream(new ByteArrayInputStream(der), der.length)) {
            int consumed = 0;
            ASN1Primitive p;
            while (consumed < der.length && (p = in.readObject()) != null) {
                byte[] one = p.getEncoded("DER");
                consumed += one.length;
                out.add(new GoCertificate(one));
            }
        } catch (IOException | RuntimeException e) {
            throw malformed();
        }
        return out;
    }

    /** Go's json.Marshal of the x509.Certificate; OPA's extendedCert adds URIStrings. */
    Value toJson(boolean withUriStrings) throws BuiltinException {
        TBSCertificate tbs = asn1.getTBSCertificate();
        List<Value> extensions = new ArrayList<>();
        Extensions exts = tbs.getExtensions();
        if (exts != null) {
            for (ASN1ObjectIdentifier id : exts.getExtensionOIDs()) {
                extensions.add(GoX509Json.extension(exts.getExtension(id)));
            }
        }
        ObjectValue.Builder o = ObjectValue.builder()
                .put("Raw", GoX509Json.bytes(raw))
                .put("RawTBSCertificate", GoX509Json.bytes(GoX509Json.der(tbs)))
                .put("RawSubjectPublicKeyInfo", GoX509Json.bytes(GoX509Json.der(tbs.getSubjectPublicKeyInfo())))
                .put("RawSubject", GoX509Json.bytes(rawSubject))
                .put("RawIssuer", GoX509Json.bytes(rawIssuer))
                .put("Signature", GoX509Json.bytes(asn1.getSignature().getBytes()))
                .put("SignatureAlgorithm", NumberValue.of(signatureAlgorithm))
                .put("PublicKeyAlgorithm", NumberValue.of(publicKeyAlgorithm))
                .put("PublicKey", publicKeyJson)
                .put("Version", NumberValue.of(version))
                .put("SerialNumber", NumberValue.of(tbs.getSerialNumber().getValue()))
                .put("Issuer", GoX509Json.name(tbs.getIssuer()))
                .put("Subject", GoX509Json.name(tbs.getSubject()))
                .put("NotBefore", GoX509Json.time(notBefore))
                .put("NotAfter", GoX509Json.time(notAfter))
                .put("KeyUsage", NumberValue.of(keyUsage))
                .put("Extensions", GoX509Json.slice(extensions))
                .put("ExtraExtensions", NullValue.NULL)
                .put("UnhandledCriticalExtensions", GoX509Json.slice(unhandledCritical.stream().map(GoX509Json::oid).toList()))
                .put("ExtKeyUsage", GoX509Json.slice(extKeyUsage.stream().<Value>map(NumberValue::of).toList()))
                .put("UnknownExtKeyUsage", GoX509Json.slice(unknownExtKeyUsage.stream().map(GoX509Json::oid).toList()))
                .put("BasicConstraintsValid", BooleanValue.of(basicConstraintsValid))
                .put("IsCA", BooleanValue.of(isCA))
                .put("MaxPathLen", NumberValue.of(maxPathLen))
                .put("MaxPathLenZero", BooleanValue.of(basicConstraintsValid && maxPathLen == 0))
                .put("SubjectKeyId", GoX509Json.bytes(subjectKeyId))
                .put("AuthorityKeyId", GoX509Json.bytes(authorityKeyId))
                .put("OCSPServer", GoX509Json.strings(ocspServers))
                .put("IssuingCertificateURL", GoX509Json.strings(issuingCertificateUrls))
                .put("DNSNames", GoX509Json.strings(sans.dns()))
                .put("EmailAddresses", GoX509Json.strings(sans.emails()))
                .put("IPAddresses", sans.ipValues())
                .put("URIs", sans.uriValues())
                .put("PermittedDNSDomainsCritical", BooleanValue.of(permittedDnsCritical))
                .put("PermittedDNSDomains", GoX509Json.strings(permitted.dns))
                .put("ExcludedDNSDomains", GoX509Json.strings(excluded.dns))
                .put("PermittedIPRanges", ipRanges(permitted.ipRanges))
                .put("ExcludedIPRanges", ipRanges(excluded.ipRanges))
                .put("PermittedEmailAddresses", GoX509Json.strings(permitted.emails))
                .put("ExcludedEmailAddresses", GoX509Json.strings(excluded.emails))
                .put("PermittedURIDomains", GoX509Json.strings(permitted.uriDomains))
                .put("ExcludedURIDomains", GoX509Json.strings(excluded.uriDomains))
                .put("CRLDistributionPoints", GoX509Json.strings(crlDistributionPoints))
                .put("PolicyIdentifiers", GoX509Json.slice(policies.stream().map(GoX509Json::oid).toList()))
                .put("Policies", GoX509Json.slice(policies.stream().<Value>map(p -> StringValue.of(p.getId())).toList()))
                .put("InhibitAnyPolicy", NumberValue.of(0))
                .put("InhibitAnyPolicyZero", BooleanValue.FALSE)
                .put("InhibitPolicyMapping", NumberValue.of(0))
                .put("InhibitPolicyMappingZero", BooleanValue.FALSE)
                .put("RequireExplicitPolicy", NumberValue.of(0))
                .put("RequireExplicitPolicyZero", BooleanValue.FALSE)
                .put("PolicyMappings", NullValue.NULL);
        if (withUriStrings) {
            o.put("URIStrings", GoX509Json.strings(sans.uris()));
        }
        return o.build();
    }

    /** net.IPNet as JSON: the IP as text, the mask as base64 bytes. */
    private static Value ipRanges(List<byte[]> ranges) {
        List<Value> out = new ArrayList<>();
        for (byte[] r : ranges) {
            int half = r.length / 2;
            out.add(ObjectValue.builder().put("IP", GoX509Json.ip(Arrays.copyOfRange(r, 0, half)))
                    .put("Mask", GoX509Json.bytes(Arrays.copyOfRange(r, half, r.length))).build());
        }
        return GoX509Json.slice(out);
    }

    static Value toJsonArray(List<GoCertificate> certs, boolean withUriStrings) throws BuiltinException {
        List<Value> out = new ArrayList<>();
        for (GoCertificate c : certs) {
            out.add(c.toJson(withUriStrings));
        }
        return ArrayValue.of(out);
    }
}
