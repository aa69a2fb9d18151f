package dev.gatehouse.signature;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;

/**
 * Who a Fulcio certificate was issued to: the subject (SAN: URI, e-mail or Fulcio username) and
 * the OIDC issuer (Fulcio extension 1.3.6.1.4.1.57264.1.8, or the older 1.1), each matched
 * exactly or by a regular expression that must match the whole value.
 *
 * <p>Regular expressions are RE2 (RE2/J): the syntax cosign and sigstore-go take for
 * {@code --certificate-identity-regexp}, and matching in linear time, so a certificate whose
 * subject the signer chose cannot make an expression backtrack for ever.
 */
public record CertificateIdentity(StringMatch subject, StringMatch issuer) {

    static final String ISSUER_V2_OID = "1.3.6.1.4.1.57264.1.8";
    static final String ISSUER_V1_OID = "1.3.6.1.4.1.57264.1.1";
    private static final String USERNAME_OTHER_NAME_OID = "1.3.6.1.4.1.57264.1.7";

    /**
     * An exact string, a whole-value regular expression (trust configurations), or a regular
     * expression found anywhere in the value ({@code search}: cosign's and sigstore-go's
     * {@code --certificate-identity-regexp}, where anchors are the caller's to write).
     */
    public record StringMatch(String exact, Pattern regexp, boolean search) {

        public static StringMatch exact(String value) {
            return new StringMatch(value, null, false);
        }

        /** @throws IllegalArgumentException when the expression does not compile */
        public static StringMatch regexp(String expression) {
            return new StringMatch(null, compile(expression), false);
        }

        /** As cosign matches its regexp flags: Go's {@code MatchString}, true when any part of the value matches. */
        public static StringMatch regexpSearch(String expression) {
            return new StringMatch(null, compile(expression), true);
        }

        private static Pattern compile(String expression) {
            try {
                return Pattern.compile(expression);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression '" + expression + "': "
                        + e.getDescription());
            }
        }

        public boolean test(String value) {
            if (value == null) {
                return false;
            }
            if (exact != null) {
                return exact.equals(value);
            }
            return search ? regexp.matcher(value).find() : regexp.matcher(value).matches();
        }

        @Override
        public String toString() {
            return exact != null ? exact : "~" + regexp.pattern();
        }
    }

    public boolean matches(X509Certificate certificate) {
        Optional<String> certIssuer = issuerOf(certificate);
        return certIssuer.isPresent() && issuer.test(certIssuer.get())
                && subjectsOf(certificate).stream().anyMatch(subject::test);
    }

    @Override
    public String toString() {
        return "subject " + subject + ", issuer " + issuer;
    }

    /** The OIDC issuer recorded by Fulcio. */
    public static Optional<String> issuerOf(X509Certificate certificate) {
        byte[] v2 = certificate.getExtensionValue(ISSUER_V2_OID);
        if (v2 != null) {
            try {
                ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v2).getOctets());
                if (inner instanceof ASN1String s) {
                    return Optional.of(s.getString());
                }
            } catch (java.io.IOException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        byte[] v1 = certificate.getExtensionValue(ISSUER_V1_OID);
        if (v1 != null) {
            try {
                return Optional.of(new String(ASN1OctetString.getInstance(v1).getOctets(), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Every subject alternative name a policy can match: URIs, e-mail addresses, Fulcio usernames. */
    public static List<String> subjectsOf(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return out;
        }
        if (names == null) {
            return out;
        }
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            Object value = name.get(1);
            if ((type == 1 || type == 6) && value instanceof String s) {
                out.add(s);
            } else if (type == 0 && value instanceof byte[] der) {
                otherName(der).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<String> otherName(byte[] der) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            ASN1Sequence seq = primitive instanceof ASN1TaggedObject tagged
                    ? ASN1Sequence.getInstance(tagged, false)
                    : ASN1Sequence.getInstance(primitive);
            if (!seq.getObjectAt(0).toString().equals(USERNAME_OTHER_NAME_OID)) {
                return Optional.empty();
            }
            ASN1Encodable value = seq.getObjectAt(1);
            while (value instanceof ASN1TaggedObject t) {
                value = t.getExplicitBaseObject();
            }
            return value instanceof ASN1String s ? Optional.of(s.getString()) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
