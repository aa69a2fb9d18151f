package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * crypto.x509.parse_certificates: PEM, base64 PEM or base64 DER certificates as objects with the
 * field names of Go's x509.Certificate (the commonly used subset).
 */
final class X509Builtins {

    private X509Builtins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("crypto.x509.parse_certificates", 1, (a, c) -> {
            List<Value> out = new ArrayList<>();
            for (X509Certificate cert : parse(Operands.string(a, 0))) {
                c.charge(1);
                out.add(describe(cert));
            }
            return ArrayValue.of(out);
        });
    }

    private static Collection<? extends java.security.cert.Certificate> read(byte[] bytes) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes));
    }

    static List<X509Certificate> parse(String input) throws BuiltinException {
        byte[] bytes;
        if (input.contains("-----BEGIN")) {
            bytes = input.getBytes(StandardCharsets.US_ASCII);
        } else {
            try {
                bytes = Base64.getMimeDecoder().decode(input);
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("illegal base64 data in certificates");
            }
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate cert : read(bytes)) {
                out.add((X509Certificate) cert);
            }
            if (out.isEmpty()) {
                throw BuiltinException.error("x509: malformed certificate");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("x509: malformed certificate");
        }
    }

    private static Value describe(X509Certificate cert) throws BuiltinException {
        ObjectValue.Builder o = ObjectValue.builder();
        try {
            o.put("Raw", StringValue.of(Base64.getEncoder().encodeToString(cert.getEncoded())));
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("x509: malformed certificate");
        }
        o.put("Version", NumberValue.of(cert.getVersion()));
        o.put("SerialNumber", NumberValue.of(cert.getSerialNumber()));
        o.put("Subject", name(cert.getSubjectX500Principal().getName()));
        o.put("Issuer", name(cert.getIssuerX500Principal().getName()));
        DateTimeFormatter rfc3339 = DateTimeFormatter.ISO_INSTANT;
        o.put("NotBefore", StringValue.of(rfc3339.format(cert.getNotBefore().toInstant().atZone(ZoneOffset.UTC))));
        o.put("NotAfter", StringValue.of(rfc3339.format(cert.getNotAfter().toInstant().atZone(ZoneOffset.UTC))));
        o.put("IsCA", BooleanValue.of(cert.getBasicConstraints() >= 0));
        o.put("BasicConstraintsValid", BooleanValue.of(cert.getBasicConstraints() >= 0));
        o.put("SignatureAlgorithmName", StringValue.of(cert.getSigAlgName()));
        o.put("PublicKeyAlgorithmName", StringValue.of(cert.getPublicKey().getAlgorithm()));
        List<Value> dns = new ArrayList<>();
        List<Value> emails = new ArrayList<>();
        List<Value> ips = new ArrayList<>();
        List<Value> uris = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (!(san.get(1) instanceof String v)) {
                        continue;
                    }
                    switch (type) {
                        case 1 -> emails.add(StringValue.of(v));
                        case 2 -> dns.add(StringValue.of(v));
                        case 6 -> uris.add(StringValue.of(v));
                        case 7 -> ips.add(StringValue.of(v));
                        default -> { }
                    }
                }
            }
        } catch (GeneralSecurityException e) {
            throw BuiltinException.error("x509: malformed subject alternative names");
        }
        o.put("DNSNames", listOrNull(dns));
        o.put("EmailAddresses", listOrNull(emails));
        o.put("IPAddresses", listOrNull(ips));
        o.put("URIStrings", listOrNull(uris));
        return o.build();
    }

    /** Go marshals a nil slice as null. */
    private static Value listOrNull(List<Value> values) {
        return values.isEmpty() ? NullValue.NULL : ArrayValue.of(values);
    }

    /** A pkix.Name: CommonName, SerialNumber and the multi-valued attributes as arrays. */
    private static Value name(String rfc2253) throws BuiltinException {
        List<Value> country = new ArrayList<>();
        List<Value> org = new ArrayList<>();
        List<Value> unit = new ArrayList<>();
        List<Value> locality = new ArrayList<>();
        List<Value> province = new ArrayList<>();
        ObjectValue.Builder o = ObjectValue.builder();
        o.put("CommonName", StringValue.EMPTY);
        o.put("SerialNumber", StringValue.EMPTY);
        try {
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                String v = String.valueOf(rdn.getValue());
                switch (rdn.getType().toUpperCase(java.util.Locale.ROOT)) {
                    case "CN" -> o.put("CommonName", StringValue.of(v));
                    case "C" -> country.add(StringValue.of(v));
                    case "O" -> org.add(StringValue.of(v));
                    case "OU" -> unit.add(StringValue.of(v));
                    case "L" -> locality.add(StringValue.of(v));
                    case "ST" -> province.add(StringValue.of(v));
                    case "2.5.4.5" -> o.put("SerialNumber", StringValue.of(v));
                    default -> { }
                }
            }
        } catch (InvalidNameException e) {
            throw BuiltinException.error("x509: malformed name");
        }
        o.put("Country", listOrNull(country));
        o.put("Organization", listOrNull(org));
        o.put("OrganizationalUnit", listOrNull(unit));
        o.put("Locality", listOrNull(locality));
        o.put("Province", listOrNull(province));
        return o.build();
    }
}
